"""Staff pages of membership, under /staff/members/, /staff/membership/ and /staff/invoices/:
the member list (filters, counts, exports), a member's history, applications to decide,
invoices, payments, credit notes, bulk e-mail and the CSV import. Every view is
`staff_required` (signed in, staff, second factor verified)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.members import exports
from twinning.members.forms import (
    CreditForm,
    DecisionForm,
    ImportForm,
    InvoiceForm,
    MailingForm,
    MemberFilterForm,
    OverrideForm,
    PaymentForm,
)
from twinning.members.imports import decode_upload, import_members
from twinning.members.models import Invoice, Membership, Status
from twinning.members.payments import get_provider
from twinning.members.queries import filter_members, for_list, members_with_summary, status_counts
from twinning.members.services import (
    approve_membership,
    credit_invoice,
    decline_membership,
    issue_invoice,
    override_status,
    refresh_stale_summaries,
    send_bulk_mailing,
)
from twinning.members.services.mailings import recipients_of
from twinning.members.status import explain_status, member_status
from twinning.members.views.portal import pdf_response
from twinning.network.models import Country, Member

PAGE_SIZE = 50
MAX_UPLOAD = 2 * 1024 * 1024


def _authorise(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Http404


def _filtered(request: HttpRequest) -> tuple[MemberFilterForm, object]:
    form = MemberFilterForm(
        request.GET or None,
        countries=Country.objects.filter(communities__members__isnull=False).distinct(),
    )
    # The stored summaries, refreshed where the calendar changed a status since (one indexed
    # query when none did): the list filters, counts and pages in SQL (LOAD-5).
    refresh_stale_summaries(association_today())
    base = members_with_summary()
    segment = form.segment() if request.GET else {}
    no_status = filter_members(base, **{**segment, "status": ""})
    return form, (no_status, filter_members(base, **segment))


@staff_required
@require_safe
def staff_member_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "members.manage_members")
    form, (unfiltered, members) = _filtered(request)  # type: ignore[misc]
    page = Paginator(for_list(members), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(unfiltered)
    labels = dict(Status.choices)
    for member in page.object_list:
        member.status_label = labels.get(member.membership_status, "")
    context = {
        "form": form,
        "page": page,
        "counts": [(s.value, s.label, counts[s.value]) for s in Status]
        + [("none", _("No membership"), counts["none"])],
        "total": sum(counts.values()),
        "query": request.GET.urlencode(),
    }
    return render(request, "members/staff/member_list.html", context)


@staff_required
@require_safe
def staff_member_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _authorise(request, "members.manage_members")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, (_unfiltered, members) = _filtered(request)  # type: ignore[misc]
    rows = for_list(members)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="members.{fmt}"'
    return response


@staff_required
@require_safe
def staff_member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request, "members.manage_members")
    member = get_object_or_404(Member.objects.prefetch_related("communities__country"), slug=slug)
    today = association_today()
    memberships = member.memberships.select_related("membership_type").order_by("-start")
    context = {
        "member": member,
        "status": member_status(member, today),
        "history": [
            {
                "membership": m,
                "status": m.status_on(today),
                "explanation": explain_status(m, today),
                "override_form": OverrideForm(
                    initial={
                        "status": m.override_status,
                        "reason": m.override_reason,
                        "until": m.override_until,
                    }
                ),
            }
            for m in memberships
        ],
        "invoices": Invoice.objects.filter(member=member).with_balance().select_related("credits"),
        "invoice_form": InvoiceForm(),
        "officers": member.officers.all(),
        "contacts": member.contacts.all(),
        "admins": member.admins.all(),
    }
    return render(request, "members/staff/member_detail.html", context)


@staff_required
@require_POST
def staff_override(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _authorise(request, "members.manage_members")
    membership = get_object_or_404(Membership, member__slug=slug, pk=pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            override_status(
                membership=membership,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status is updated."))
    else:
        messages.error(request, _("Check the status, the reason and the date."))
    return redirect("members:staff_member_detail", slug=slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_invoice_create(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request, "members.issue_invoice")
    member = get_object_or_404(Member, slug=slug)
    form = InvoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invoice = issue_invoice(
                member=member,
                lines=form.cleaned_data["lines"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Invoice %(n)s is issued.") % {"n": invoice.number})
            return redirect("members:staff_invoice_detail", number=invoice.number)
    return render(request, "members/staff/invoice_form.html", {"member": member, "form": form})


def _staff_invoice(number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.with_balance().select_related("member", "credits"), number=number
    )


@staff_required
@require_safe
def staff_invoice_detail(request: HttpRequest, number: str) -> HttpResponse:
    _authorise(request, "members.manage_members")
    invoice = _staff_invoice(number)
    context = {
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "payments": invoice.payments.all(),
        "credit_notes": invoice.credit_notes.all(),
        "checkouts": invoice.checkouts.all(),
        "payment_form": PaymentForm(
            initial={"amount": invoice.balance_due, "received_on": association_today()}
        ),  # type: ignore[attr-defined]
        "credit_form": CreditForm(),
    }
    return render(request, "members/staff/invoice_detail.html", context)


@staff_required
@require_safe
def staff_invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    _authorise(request, "members.manage_members")
    return pdf_response(_staff_invoice(number))


@staff_required
@require_POST
def staff_payment_create(request: HttpRequest, number: str) -> HttpResponse:
    _authorise(request, "members.record_payment")
    invoice = _staff_invoice(number)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            get_provider("manual").record(  # type: ignore[attr-defined]
                invoice=invoice, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The payment is recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("members:staff_invoice_detail", number=number)


@staff_required
@require_POST
def staff_credit_create(request: HttpRequest, number: str) -> HttpResponse:
    _authorise(request, "members.issue_invoice")
    invoice = _staff_invoice(number)
    form = CreditForm(request.POST)
    if form.is_valid():
        try:
            note = credit_invoice(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Credit note %(n)s is issued.") % {"n": note.number})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("members:staff_invoice_detail", number=number)


@staff_required
@require_safe
def staff_application_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "members.decide_membership")
    today = association_today()
    pending = list(
        Membership.objects.with_status(today)
        .filter(status_value=Status.PENDING)
        .select_related("member", "membership_type", "applied_by")
        .prefetch_related("communities__country")
        .order_by("applied_at", "pk")
    )
    return render(
        request,
        "members/staff/application_list.html",
        {"applications": pending, "form": DecisionForm()},
    )


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    _authorise(request, "members.decide_membership")
    membership = get_object_or_404(Membership.objects.select_related("member"), pk=pk)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        if approve:
            approve_membership(membership=membership, message=message, by=request.user)
        else:
            decline_membership(membership=membership, message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("approved") if approve else _("declined")
        messages.success(
            request,
            _("The application of %(m)s is %(done)s.")
            % {"m": membership.member.name, "done": done},
        )
    return redirect("members:staff_application_list")


@staff_required
@require_POST
def staff_application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@staff_required
@require_POST
def staff_application_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_mailing(request: HttpRequest) -> HttpResponse:
    _authorise(request, "members.send_bulk_mail")
    form = MailingForm(
        request.POST or None,
        countries=Country.objects.filter(communities__members__isnull=False).distinct(),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        segment = form.segment()
        if "preview" in request.POST:
            preview = recipients_of(segment)
        else:
            try:
                mailing = send_bulk_mailing(
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    segment=segment,
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(n)s messages wait in the outbox for your review.")
                    % {"n": mailing.recipients},
                )
                return redirect("members:staff_mailing")
    return render(request, "members/staff/mailing.html", {"form": form, "preview": preview})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    _authorise(request, "members.import_members")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        lines = decode_upload(upload.read(MAX_UPLOAD + 1)) if upload.size <= MAX_UPLOAD else None
        if lines is None:
            form.add_error("file", _("Upload a UTF-8 CSV file of at most 2 MB."))
        else:
            report = import_members(lines, by=request.user, source=upload.name)
            if report.error:
                form.add_error("file", report.error)
                report = None
    return render(request, "members/staff/import.html", {"form": form, "report": report})
