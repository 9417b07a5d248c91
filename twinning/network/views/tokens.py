"""API tokens' pages: a committee admin's tokens for their own member in the portal, and the
staff list of every token (staff also create tokens for any member, and staff tokens).
Creating a token answers the POST with the secret, once: it is never stored and never shown
again. Revoking is a POST. The services check the actor and write the audit entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.network.forms import ApiTokenForm, StaffApiTokenForm
from twinning.network.models import ApiToken, Member
from twinning.network.services import create_api_token, revoke_api_token

PAGE_SIZE = 50


def _member(request: HttpRequest, slug: str) -> Member:
    member = get_object_or_404(Member.objects.administered_by(request.user), slug=slug)
    if not request.user.has_perm("network.manage_api_tokens", member):
        raise Http404
    return member


def _created(request: HttpRequest, token: ApiToken, secret: str, back: str) -> HttpResponse:
    """The only page that ever shows the secret; not stored by any cache."""
    response = render(
        request, "network/token_created.html", {"token": token, "secret": secret, "back": back}
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _revoke(request: HttpRequest, token: ApiToken) -> None:
    try:
        revoke_api_token(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_token_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_api_token(
                member=member, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            back = reverse("network:portal_token_list", kwargs={"slug": member.slug})
            return _created(request, token, secret, back)
    tokens = member.api_tokens.select_related("owner")
    response = render(
        request,
        "network/portal/token_list.html",
        {"member": member, "form": form, "tokens": tokens},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def portal_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    _revoke(request, get_object_or_404(member.api_tokens, pk=pk))
    return redirect("network:portal_token_list", slug=member.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_token_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("network.create_staff_api_token"):
        raise Http404
    form = StaffApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_api_token(
                member=form.cleaned_data["member"], by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _created(request, token, secret, reverse("network:staff_token_list"))
    tokens = ApiToken.objects.select_related("owner", "member")
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/staff/token_list.html", {"form": form, "page": page})


@staff_required
@require_POST
def staff_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _revoke(request, get_object_or_404(ApiToken, pk=pk))
    return redirect("network:staff_token_list")
