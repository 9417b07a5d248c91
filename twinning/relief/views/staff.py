"""Staff's pages: every appeal with its flags (overdue for an update, expenses waiting,
receipts with differences), creating an appeal, its status, money received through the manual
provider with the donor's PDF receipt, approving expenses, acknowledging differences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.relief.forms import AppealForm, DonationForm, StatusForm
from twinning.relief.models import Appeal, Donation, Expense, ShipmentReceipt
from twinning.relief.pdf import render_receipt
from twinning.relief.services import (
    acknowledge_differences,
    create_appeal,
    decide_expense,
    record_donation,
    set_appeal_status,
)


def _authorise(request: HttpRequest) -> None:
    if not request.user.has_perm("relief.manage"):
        raise Http404


@staff_required
@require_safe
def staff_appeal_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    today = association_today()
    appeals = (
        Appeal.objects.select_related("community__country")
        .annotate(
            waiting=Count("expenses", filter=Q(expenses__state=Expense.State.SUBMITTED)),
        )
        .order_by("status", "-starts_on", "title")
    )
    overdue = set(Appeal.objects.overdue(today).values_list("pk", flat=True))
    receipts = ShipmentReceipt.objects.filter(
        has_differences=True, acknowledged_at__isnull=True
    ).select_related("shipment__appeal")
    expenses = Expense.objects.filter(state=Expense.State.SUBMITTED).select_related("appeal")
    return render(
        request,
        "relief/staff/appeal_list.html",
        {"appeals": appeals, "overdue": overdue, "receipts": receipts, "expenses": expenses},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_appeal_create(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = create_appeal(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The appeal is created as a draft: add its needs."))
            return redirect("relief:appeal_manage", slug=appeal.slug)
    return render(request, "relief/staff/appeal_form.html", {"form": form})


@staff_required
@require_POST
def staff_appeal_status(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    appeal = get_object_or_404(Appeal, slug=slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("relief:appeal_manage", slug=appeal.slug)
    try:
        set_appeal_status(appeal=appeal, status=form.cleaned_data["status"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appeal's status is saved."))
    return redirect("relief:appeal_manage", slug=appeal.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_donation_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Money received, recorded through the manual provider; then the donor's receipt."""
    _authorise(request)
    appeal = get_object_or_404(Appeal, slug=slug)
    form = DonationForm(
        request.POST or None,
        appeal=appeal,
        initial={"currency": appeal.currency, "received_on": association_today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            donation = record_donation(appeal=appeal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Recorded. The donor's receipt: number %(number)s.")
                % {"number": donation.number},
            )
            return redirect("relief:staff_donation_add", slug=appeal.slug)
    donations = appeal.donations.order_by("-received_on", "-pk")[:50]
    return render(
        request,
        "relief/staff/donation_form.html",
        {"appeal": appeal, "form": form, "donations": donations},
    )


@staff_required
@require_safe
def staff_donation_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    donation = get_object_or_404(Donation.objects.select_related("appeal"), pk=pk)
    response = HttpResponse(render_receipt(donation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{donation.number}.pdf"'
    return response


@staff_required
@require_POST
def staff_expense_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    expense = get_object_or_404(Expense, pk=pk)
    try:
        decide_expense(expense=expense, approve=request.POST.get("approve") == "1", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The expense is decided."))
    return redirect("relief:staff_appeal_list")


@staff_required
@require_POST
def staff_receipt_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    receipt = get_object_or_404(ShipmentReceipt, pk=pk)
    acknowledge_differences(receipt=receipt, by=request.user)
    messages.success(request, _("The differences are marked as seen."))
    return redirect("relief:staff_appeal_list")
