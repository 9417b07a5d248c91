"""Paying an invoice online: the committee admin's pay button (a POST that sends them to the
provider's hosted page), the pages they come back to (paid, or cancelled: nothing charged),
and the provider's webhook, which records the payment once its signature verifies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from twinning.core.authz import SYSTEM
from twinning.core.reverse import absolute_url
from twinning.members.models import CheckoutSession
from twinning.members.payments import (
    ProviderError,
    UnknownProvider,
    WebhookRefused,
    get_online_provider,
)
from twinning.members.services import record_checkout, start_checkout
from twinning.members.views.portal import _invoice, _member


@login_required
@require_POST
def portal_invoice_pay(request: HttpRequest, slug: str, number: str, provider: str) -> HttpResponse:
    member = _member(request, slug, "members.pay_invoice")
    invoice = _invoice(member, number)
    back = {"slug": member.slug, "number": invoice.number, "provider": provider}
    try:
        url = start_checkout(
            invoice=invoice,
            provider=provider,
            success_url=absolute_url(reverse("members:portal_invoice_paid", kwargs=back)),
            cancel_url=absolute_url(reverse("members:portal_invoice_pay_cancelled", kwargs=back)),
            by=request.user,
        )
    except UnknownProvider as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ProviderError:
        messages.error(
            request,
            _(
                "The payment service cannot be reached just now; nothing was charged. Try again "
                "in a few minutes, or pay by bank transfer with the details below."
            ),
        )
    else:
        # The provider's own page (another site): a plain redirect, nothing of it is loaded here.
        return HttpResponseRedirect(url)
    return redirect("members:portal_invoice_detail", slug=member.slug, number=invoice.number)


@login_required
@require_safe
def portal_invoice_paid(
    request: HttpRequest, slug: str, number: str, provider: str
) -> HttpResponse:
    """Where the provider sends the member back after paying. The page only reads: the payment
    is recorded by the provider's webhook (a GET changes nothing, C9)."""
    member = _member(request, slug, "members.view_invoice")
    invoice = _invoice(member, number)
    checkout = CheckoutSession.objects.filter(
        invoice=invoice, provider=provider, external_id=request.GET.get("checkout", "")[:255]
    ).first()
    paid = checkout is not None and checkout.state == CheckoutSession.State.PAID
    if checkout is not None and checkout.state == CheckoutSession.State.OPEN:
        try:
            paid = get_online_provider(provider).fetch_checkout(checkout.external_id).paid
        except (UnknownProvider, ProviderError):
            paid = False
    context = {"member": member, "invoice": invoice, "checkout": checkout, "paid": paid}
    return render(request, "members/portal/payment_return.html", context)


@login_required
@require_safe
def portal_invoice_pay_cancelled(
    request: HttpRequest, slug: str, number: str, provider: str
) -> HttpResponse:
    member = _member(request, slug, "members.view_invoice")
    invoice = _invoice(member, number)
    context = {"member": member, "invoice": invoice, "cancelled": True}
    return render(request, "members/portal/payment_return.html", context)


@csrf_exempt  # the provider posts here; its signature, checked below, is the authentication
@require_POST
def payment_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        online = get_online_provider(provider)
    except UnknownProvider as error:
        raise Http404 from error
    try:
        result = online.parse_webhook(payload=request.body, headers=request.headers)
    except WebhookRefused:
        return JsonResponse({"error": "The signature does not verify."}, status=400)
    if result is not None:
        record_checkout(provider=provider, result=result, by=SYSTEM)
    return JsonResponse({"received": True})
