"""Staff pages: calls (applications, review on the engine, the funding table under the
budget, decisions, publication), grants (reports to approve or return, tranches, closeout)
and the portfolio with its exports. Every view is `staff_required`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.dates import association_today
from twinning.core.exports import Sheet, csv_text, xlsx_bytes
from twinning.core.forms import add_service_error
from twinning.core.paging import paginate
from twinning.grants.forms import (
    CallForm,
    DecideForm,
    PortfolioFilterForm,
    ProgramForm,
    ReviewReportForm,
)
from twinning.grants.models import Application, Call, Grant, Program, Report, Tranche
from twinning.grants.queries import (
    Project,
    funded_grants,
    funded_projects,
    portfolio_sections,
    project_rows,
    projects,
)
from twinning.grants.services import (
    accept_proposal,
    approve_report,
    close_grant,
    create_call,
    create_program,
    decide_application,
    open_review,
    pay_tranche,
    publish_decisions,
    return_report,
    save_call,
    save_program,
)
from twinning.grants.services.decisions import funding_state, with_applications

PAGE_SIZE = 50  # rows of the funding table per page (every row still counts in the proposal)


def _authorise(request: HttpRequest) -> None:
    if not request.user.has_perm("grants.manage"):
        raise Http404


def _call(slug: str) -> Call:
    return get_object_or_404(Call.objects.select_related("program", "review_round"), slug=slug)


@staff_required
@require_safe
def staff_call_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    calls = Call.objects.select_related("program").annotate(
        submitted=Count("applications", filter=Q(applications__state="submitted")),
        drafts=Count("applications", filter=Q(applications__state="draft")),
        funded=Count("applications", filter=Q(applications__state="funded")),
    )
    programs = Program.objects.annotate(call_count=Count("calls")).order_by("name")
    return render(request, "grants/staff/call_list.html", {"calls": calls, "programs": programs})


SHOW = {"funded": True, "out": False}  # ?show= and the proposal's verdict of the rows shown


@staff_required
@require_safe
def staff_call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    call = _call(slug)
    state = funding_state(call)
    table, budget, proposed = state.rows, state.budget, state.proposed
    funded_count = sum(1 for row in table if row[4])
    show = request.GET.get("show", "")
    shown = [row for row in table if row[4] is SHOW[show]] if show in SHOW else table
    page = paginate(request, shown, PAGE_SIZE)
    page.object_list = with_applications(state.funding_rows(list(page.object_list)))
    others = (
        Application.objects.filter(pk__in=state.unranked)
        .prefetch_related("sides__community")
        .order_by("state", "title")
    )
    return render(
        request,
        "grants/staff/call_detail.html",
        {
            "call": call,
            "table": table,
            "page_obj": page,
            "show": show if show in SHOW else "",
            "budget": budget,
            "proposed": proposed,
            "left": budget - proposed,
            "funded_count": funded_count,
            "out_count": len(table) - funded_count,
            "others": others,
            "published": call.decisions_published_at is not None,
        },
    )


def _post_action(request: HttpRequest, call: Call, action, success: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("grants:staff_call_detail", slug=call.slug)


@staff_required
@require_POST
def staff_open_review(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    call = _call(slug)
    return _post_action(
        request,
        call,
        lambda: open_review(call=call, by=request.user),
        _("The submitted applications are under review: build the panel on the round's page."),
    )


@staff_required
@require_POST
def staff_accept_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    call = _call(slug)
    return _post_action(
        request,
        call,
        lambda: accept_proposal(call=call, by=request.user),
        _("Decided as proposed (held until you publish)."),
    )


@staff_required
@require_POST
def staff_publish(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    call = _call(slug)
    return _post_action(
        request,
        call,
        lambda: publish_decisions(call=call, by=request.user),
        _("Published: grants are created and the letters wait in the outbox for release."),
    )


@staff_required
@require_POST
def staff_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision; an amount must be a number."))
        return redirect("grants:staff_call_detail", slug=application.call.slug)
    return _post_action(
        request,
        application.call,
        lambda: decide_application(application=application, by=request.user, **form.cleaned_data),
        _("Decision recorded for “%(title)s” (held until published).")
        % {"title": application.title},
    )


@staff_required
@require_safe
def staff_grant_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    grants = Grant.objects.select_related("application__call__program").annotate(
        waiting=Count("reports", filter=Q(reports__state=Report.State.SUBMITTED)),
        overdue=Count(
            "reports",
            filter=Q(
                reports__state__in=["due", "returned"], reports__due_on__lt=association_today()
            ),
        ),
    )
    waiting = Report.objects.filter(state=Report.State.SUBMITTED).select_related(
        "grant__application", "side__community"
    )
    return render(request, "grants/staff/grant_list.html", {"grants": grants, "waiting": waiting})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_report_review(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    report = get_object_or_404(
        Report.objects.select_related("grant__application", "side__community"), pk=pk
    )
    form = ReviewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = approve_report if form.cleaned_data["action"] == "approve" else return_report
        try:
            action(report=report, comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The report is %(state)s.")
                % {"state": _("approved") if action is approve_report else _("returned")},
            )
            return redirect(report.grant)
    spending = report.spending.select_related("line")
    return render(
        request,
        "grants/staff/report_review.html",
        {"report": report, "form": form, "spending": spending, "receipts": report.receipts.all()},
    )


@staff_required
@require_POST
def staff_tranche_pay(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    tranche = get_object_or_404(Tranche.objects.select_related("grant"), pk=pk)
    try:
        pay_tranche(tranche=tranche, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tranche %(n)s recorded as paid.") % {"n": tranche.number})
    return redirect(tranche.grant)


@staff_required
@require_POST
def staff_grant_close(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    grant = get_object_or_404(Grant, pk=pk)
    try:
        close_grant(grant=grant, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The grant is closed."))
    return redirect(grant)


def _filters(request: HttpRequest) -> tuple[PortfolioFilterForm, dict[str, Any]]:
    form = PortfolioFilterForm(request.GET or None)
    return form, form.cleaned_data if form.is_valid() else {}


def project_page(request: HttpRequest, grants: Any, count: int | None = None) -> Page:
    """A page of the grants as portfolio rows (sliced in SQL; the page's grants only are
    read in full); `count` the number of grants when known (no COUNT query)."""
    page = paginate(request, project_rows(grants), PAGE_SIZE, count=count)
    page.object_list = projects(list(page.object_list))
    return page


@staff_required
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form, filters = _filters(request)
    grants = funded_grants(filters)
    figures, drawn = portfolio_sections(filters, label=_("Funded partnerships"))
    return render(
        request,
        "grants/staff/portfolio.html",
        {
            "form": form,
            "projects": project_page(request, grants, figures.grants),
            "groups": figures.groups,
            "committed": figures.committed,
            "paid": figures.paid,
            "participants": figures.participants,
            "map": drawn,
            "query": request.GET.urlencode(),
        },
    )


HEADER = [
    "Program",
    "Year",
    "Theme",
    "Countries",
    "Communities",
    "Committed",
    "Paid",
    "Currency",
    "Participants",
    "Outcomes",
]


def _rows(projects: list[Project]) -> list[list]:
    return [
        [
            p.program,
            p.year,
            p.theme,
            p.countries,
            "; ".join(s.community for s in p.sides),
            p.committed,
            p.paid,
            p.currency,
            p.participants,
            " / ".join(p.outcomes),
        ]
        for p in projects
    ]


@staff_required
@require_safe
def portfolio_csv(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    _form, filters = _filters(request)
    response = HttpResponse(
        csv_text(HEADER, _rows(funded_projects(filters))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="grants-portfolio.csv"'
    return response


@staff_required
@require_safe
def portfolio_xlsx(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    _form, filters = _filters(request)
    rows = _rows(funded_projects(filters))
    data = xlsx_bytes([Sheet(title="Portfolio", header=HEADER, rows=rows)])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="grants-portfolio.xlsx"'
    return response


# --- Programs and calls --------------------------------------------------------------------


def _edit_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(request, "form_page.html", {"form": form, "title": title, "back": back})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_program_new(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = create_program(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The program is set up: add its first call."))
            return redirect("grants:staff_call_new", slug=program.slug)
    return _edit_page(request, form, _("New funding program"), reverse("grants:staff_call_list"))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    program = get_object_or_404(Program, slug=slug)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            save_program(program=form.instance, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("grants:staff_call_list")
    return _edit_page(request, form, program.name, reverse("grants:staff_call_list"))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_call_new(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    program = get_object_or_404(Program, slug=slug)
    form = CallForm(request.POST or None, instance=Call(program=program))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("rates", "lump_sums")}
        try:
            call = create_call(
                program=program,
                rates=form.cleaned_data["rates"],
                lump_sums=form.cleaned_data["lump_sums"],
                by=request.user,
                **fields,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call is set up."))
            return redirect("grants:staff_call_detail", slug=call.slug)
    title = _("New call of %(program)s") % {"program": program.name}
    return _edit_page(request, form, title, reverse("grants:staff_call_list"))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_call_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    call = _call(slug)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            save_call(
                call=form.instance,
                rates=form.cleaned_data["rates"],
                lump_sums=form.cleaned_data["lump_sums"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("grants:staff_call_detail", slug=form.instance.slug)
    back = reverse("grants:staff_call_detail", kwargs={"slug": slug})
    return _edit_page(request, form, str(call), back)
