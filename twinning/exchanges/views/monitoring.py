"""Monitoring pages (section 3): the monthly-contact dashboard of a hosting committee and of
staff (every committee), a placement's contacts with the form to record one, and the
compliance page with its CSV export. The hosting committee's admins and coordinators and
verified staff; never the family, the sending contact or another committee (404)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core import paging
from twinning.core.dates import association_today
from twinning.core.exports import csv_lines
from twinning.core.forms import add_service_error
from twinning.core.paging import paginate
from twinning.core.special import may_read_special
from twinning.exchanges.forms_monitoring import MonthlyContactForm
from twinning.exchanges.models import MonthlyContact, Placement, Student
from twinning.exchanges.rules import may_read_restricted_of
from twinning.exchanges.services import compliance, monitoring
from twinning.exchanges.views.common import hosting_committees, managed_member
from twinning.network.models import Member


def _reads_incidents(request: HttpRequest, member: Member | None) -> bool:
    if member is None:
        return may_read_special(request.user)
    return may_read_restricted_of(request.user, member)


def _placements(request: HttpRequest, member: Member | None) -> tuple[Any, str]:
    """The committee's placements, or (staff) every committee's, narrowed to `?committee=`."""
    if member is not None:
        return Placement.objects.for_host(member), ""
    committee = request.GET.get("committee", "")
    found = Placement.objects.all()
    if committee:
        found = found.filter(student__quota__host__slug=committee)
    return found, committee


def _dashboard(request: HttpRequest, member: Member | None) -> HttpResponse:
    """Red first, 50 a page; the counts of each colour cover every placement, and `?state=`
    keeps one colour (staff also filter by `?committee=`). The database counts, filters, sorts
    and cuts the page (`colour_counts`, `dashboard_order` through `dashboard_rows_of`, its SQL
    compiled once per scope, day and colour); the page's rows are then given their states
    (`dashboard_rows`)."""
    placements, committee = _placements(request, member)
    today = association_today()
    state = request.GET.get("state", "")
    state = state if state in monitoring.ORDER else ""
    counts = monitoring.colour_counts(placements, today)
    shown = monitoring.dashboard_rows_of(placements, today, colour=state)
    page = paginate(
        request, monitoring.Counted(shown, counts[state] if state else sum(counts.values()))
    )
    context = {
        "member": member,
        "page": page,
        "rows": monitoring.dashboard_rows(page.object_list, today),
        "counts": counts,
        "state": state,
        "states": [(colour, monitoring.LABELS[colour]) for colour in monitoring.ORDER],
        "committee": committee,
        "committees": hosting_committees() if member is None else None,
        "amber_days": monitoring.AMBER_DAYS,
        "reads_incidents": _reads_incidents(request, member),
    }
    return render(request, "exchanges/monitoring/dashboard.html", context)


@login_required
@require_safe
def committee_monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, managed_member(request, slug))


@staff_required
@require_safe
def staff_monitoring(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def placement_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(
        monitoring.monitored(Placement.objects.all()).select_related("student__quota__host"),
        pk=pk,
    )
    member = placement.student.quota.host
    if not request.user.has_perm("exchanges.manage_committee", member):
        raise Http404
    form = MonthlyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.record_contact(placement=placement, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("exchanges:placement_contacts", pk=placement.pk)
    context = {
        "member": member,
        "placement": placement,
        "state": monitoring.placement_state(placement, association_today()),
        "contacts": MonthlyContact.objects.for_placement(placement).select_related("recorded_by"),
        "form": form if placement.is_current else None,
    }
    return render(request, "exchanges/monitoring/placement_contacts.html", context)


def _compliance(request: HttpRequest, member: Member | None) -> HttpResponse:
    """25 placements a page with their rules (read as values, `page_rows`, and written by one
    tag, `compliance_sections`); `?failing=1` keeps those failing a rule (staff also filter by
    `?committee=`)."""
    placements, committee = _placements(request, member)
    today = association_today()
    failing = request.GET.get("failing") == "1"
    if failing:
        ids = compliance.failing_ids(placements, today)
    else:
        ids = compliance.listed_ids(placements)
    # Half the lists' page: each placement is a card of seven rules (50 cards were 350 table
    # rows and 104 KB of HTML, and most of the page's time: bench/exchanges.py).
    page = paginate(request, ids, per_page=max(1, paging.PAGE_SIZE // 2))
    context = {
        "member": member,
        "page": page,
        "rows": compliance.page_rows(list(page.object_list), today),
        "failing": failing,
        "committee": committee,
        "committees": hosting_committees() if member is None else None,
        "rules": [label for _key, label in compliance.RULES],
        "reads_incidents": _reads_incidents(request, member),
    }
    return render(request, "exchanges/monitoring/compliance.html", context)


def _compliance_csv(member: Member | None) -> HttpResponse:
    """Every current placement (never paged nor filtered), read a chunk at a time."""
    placements = Placement.objects.all() if member is None else Placement.objects.for_host(member)
    header, rows = compliance.csv_rows(compliance.export_rows(placements))
    name = f"compliance-{member.slug if member else 'all'}-{association_today():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.writelines(csv_lines(header, rows))  # formula-safe (INPUT-6)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def committee_compliance(request: HttpRequest, slug: str) -> HttpResponse:
    return _compliance(request, managed_member(request, slug))


@login_required
@require_safe
def committee_compliance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _compliance_csv(managed_member(request, slug))


@staff_required
@require_safe
def staff_compliance(request: HttpRequest) -> HttpResponse:
    return _compliance(request, None)


@staff_required
@require_safe
def staff_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_csv(None)


def student_links(request: HttpRequest, student: Student, manages: bool) -> dict[str, object]:
    """What the student's page links to from section 3: the current placement's contacts and
    the incident form (the committee's managers), the committee's incidents (their readers)."""
    from twinning.exchanges.rules import may_read_restricted

    placement = Placement.objects.current().filter(student=student).first() if manages else None
    return {
        "monitoring_placement": placement,
        "may_record_incident": manages,
        "reads_incidents": may_read_restricted(request.user, student),
    }
