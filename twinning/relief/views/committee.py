"""Organisers' and the partner side's pages (signed in): the appeals of one's committees, an
appeal's management page (needs, pledges, shipments, expenses, photos, updates, links to the
partner), pledging, and the partner side's confirmations through its account."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.network.models import Member
from twinning.relief import queries
from twinning.relief.forms import (
    ExpenseForm,
    NeedForm,
    PartnerNeedsForm,
    PhotoForm,
    PledgeForm,
    ReceiptForm,
    ShipmentForm,
    ShipmentStatusForm,
    UpdateForm,
)
from twinning.relief.models import Appeal, Expense, Need, Pledge, Shipment
from twinning.relief.services import (
    add_need,
    add_photo,
    confirm_need,
    confirm_receipt,
    confirm_skills_delivered,
    create_shipment,
    post_update,
    record_pledge,
    send_partner_link,
    set_shipment_status,
    submit_expense,
)
from twinning.relief.views import appeal_for


@login_required
@require_safe
def my_appeals(request: HttpRequest) -> HttpResponse:
    """A committee admin's appeals (404 for anyone who runs no committee: not their page)."""
    user = request.user
    if not Member.objects.filter(admins=user.pk).exists():
        raise Http404
    appeals = (
        Appeal.objects.filter(Q(organisers__admins=user) | Q(community__members__admins=user))
        .distinct()
        .select_related("community__country")
        .order_by("-starts_on", "title")
    )
    open_appeals = Appeal.objects.filter(status=Appeal.Status.OPEN).order_by("title")[:50]
    return render(
        request, "relief/my_appeals.html", {"appeals": appeals, "open_appeals": open_appeals}
    )


def _manage_context(appeal: Appeal, **forms: Any) -> dict[str, Any]:
    return {
        "appeal": appeal,
        "needs": appeal.needs.order_by("priority", "pk"),
        "pledges": queries.pledges_for_staff(appeal)[:200],
        "pledge_count": appeal.pledges.count(),
        "shipments": queries.shipments(appeal),
        "expenses": appeal.expenses.order_by("-spent_on", "-pk"),
        "need_form": forms.get("need_form") or NeedForm(),
        "shipment_form": forms.get("shipment_form") or ShipmentForm(appeal=appeal),
        "expense_form": forms.get("expense_form")
        or ExpenseForm(initial={"currency": appeal.currency}),
        "update_form": forms.get("update_form") or UpdateForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "status_form": ShipmentStatusForm(),
    }


@login_required
@require_safe
def appeal_manage(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    return render(request, "relief/appeal_manage.html", _manage_context(appeal))


def _post(  # noqa: PLR0917 (one call shape for every management form)
    request: HttpRequest,
    appeal: Appeal,
    form: Any,
    key: str,
    call: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Run a management form's service; on bad input show the page again with the errors
    (nothing changed)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("relief:appeal_manage", slug=appeal.slug)
    return render(
        request, "relief/appeal_manage.html", _manage_context(appeal, **{key: form}), status=400
    )


@login_required
@require_POST
def need_add(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    return _post(
        request,
        appeal,
        NeedForm(request.POST),
        "need_form",
        lambda d: add_need(appeal=appeal, by=request.user, **d),
        _("The need is added: the partner side confirms it before it is shown."),
    )


@login_required
@require_POST
def partner_link_send(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    try:
        send_partner_link(appeal=appeal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The link is on its way to the partner contact."))
    return redirect("relief:appeal_manage", slug=appeal.slug)


@login_required
@require_POST
def shipment_add(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    return _post(
        request,
        appeal,
        ShipmentForm(request.POST, appeal=appeal),
        "shipment_form",
        lambda d: create_shipment(
            appeal=appeal,
            lines=[(p, p.quantity) for p in d["pledges"]],
            carrier=d["carrier"],
            tracking=d["tracking"],
            by=request.user,
        ),
        _("The shipment is packed."),
    )


@login_required
@require_POST
def shipment_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    shipment = get_object_or_404(Shipment, appeal=appeal, pk=pk)
    form = ShipmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status and a date."))
        return redirect("relief:appeal_manage", slug=appeal.slug)
    try:
        set_shipment_status(
            shipment=shipment,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The shipment's status is saved."))
    return redirect("relief:appeal_manage", slug=appeal.slug)


@login_required
@require_POST
def shipment_link(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    shipment = get_object_or_404(Shipment, appeal=appeal, pk=pk)
    try:
        send_partner_link(appeal=appeal, shipment=shipment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The partner contact is asked to confirm the receipt."))
    return redirect("relief:appeal_manage", slug=appeal.slug)


@login_required
@require_POST
def expense_add(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    return _post(
        request,
        appeal,
        ExpenseForm(request.POST, request.FILES),
        "expense_form",
        lambda d: submit_expense(appeal=appeal, by=request.user, **d),
        _("The expense waits for staff approval."),
    )


@login_required
@require_safe
def expense_receipt(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    expense = get_object_or_404(Expense, appeal=appeal, pk=pk)
    return media_response(
        private_storage,
        expense.receipt_name,
        content_type=expense.receipt_mime,
        download_name=expense.receipt_display_name,
        inline=False,
    )


@login_required
@require_POST
def photo_add(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.organise_appeal")
    return _post(
        request,
        appeal,
        PhotoForm(request.POST, request.FILES),
        "photo_form",
        lambda d: add_photo(
            appeal=appeal, upload=d["photo"], caption=d["caption"], by=request.user
        ),
        _("The photo is added."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers and the partner side post a progress update."""
    appeal = appeal_for(request, slug, "relief.view_appeal")
    if not (
        request.user.has_perm("relief.organise_appeal", appeal)
        or request.user.has_perm("relief.partner_appeal", appeal)
    ):
        raise Http404
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post_update(appeal=appeal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The update is published."))
            return redirect(appeal)
    return render(request, "relief/update_form.html", {"appeal": appeal, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pledge(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.pledge_appeal")
    form = PledgeForm(request.POST or None, appeal=appeal, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_pledge(
                appeal=appeal,
                kind=data["kind"],
                member=data["committee"],
                name=data["name"],
                need=data["need"],
                amount=data["amount"],
                quantity=data["quantity"],
                anonymous=data["anonymous"],
                email=data["email"],
                follow=data["follow"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: your pledge is recorded."))
            return redirect(appeal)
    return render(request, "relief/pledge_form.html", {"appeal": appeal, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The partner side, signed in: confirm or add needs; confirm receipts."""
    appeal = appeal_for(request, slug, "relief.partner_appeal")
    form = PartnerNeedsForm(request.POST or None, appeal=appeal, ask_name=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            for need in data["confirm"]:
                confirm_need(need=need, by=request.user)
            if data["new_title"]:
                add_need(
                    appeal=appeal,
                    kind=data["new_kind"] or "goods",
                    title=data["new_title"],
                    quantity=data["new_quantity"] or 0,
                    unit=data["new_unit"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The needs are confirmed."))
            return redirect("relief:partner_page", slug=appeal.slug)
    shipments = appeal.shipments.filter(receipt__isnull=True).exclude(status=Shipment.Status.LOST)
    skills = appeal.pledges.filter(need__kind=Need.Kind.SKILLS).select_related("need")
    return render(
        request,
        "relief/partner_page.html",
        {"appeal": appeal, "form": form, "shipments": shipments, "skills": skills},
    )


@login_required
@require_POST
def skills_delivered(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The partner side confirms how much of a pledge of skills was delivered."""
    appeal = appeal_for(request, slug, "relief.partner_appeal")
    pledge = get_object_or_404(Pledge, appeal=appeal, pk=pk)
    try:
        confirm_skills_delivered(
            pledge=pledge, quantity=request.POST.get("quantity", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the delivery is recorded."))
    return redirect("relief:partner_page", slug=appeal.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def receipt_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.partner_appeal")
    shipment = get_object_or_404(Shipment, appeal=appeal, pk=pk, receipt__isnull=True)
    form = ReceiptForm(
        request.POST or None, request.FILES or None, shipment=shipment, ask_name=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            confirm_receipt(
                shipment=shipment,
                counts=form.counts(),
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The receipt is recorded."))
            return redirect(appeal)
    return render(
        request,
        "relief/receipt_form.html",
        {"appeal": appeal, "shipment": shipment, "form": form},
    )
