"""Incident pages (section 3). Incidents are special-category data (RELIABILITY P-07): the
list, the page and its actions are for `rules.may_read_restricted` (the hosting committee's
exchange coordinator, welfare staff) in a freshly re-authenticated session, as the restricted
details; everyone else gets 404 (the family, the sending contact, another committee, the
committee's other admins and coordinators, staff without the welfare capability). Recording
one is open to the hosting committee's managers and staff: the form shows nothing recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.accounts.reauth import reauth_redirect
from twinning.core.forms import add_service_error
from twinning.core.special import may_read_special
from twinning.exchanges.forms_monitoring import IncidentForm, MandatoryReportForm
from twinning.exchanges.models import Incident, Student
from twinning.exchanges.rules import may_read_restricted, may_read_restricted_of
from twinning.exchanges.services import incidents as services
from twinning.exchanges.views.common import flat_errors
from twinning.network.models import Member


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def incident_new(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(
        Student.objects.select_related("person", "quota__host", "season"), pk=pk
    )
    if not request.user.has_perm("exchanges.manage_committee", student.quota.host):
        raise Http404
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(
                student=student, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Incident recorded: the exchange coordinator and welfare staff are told."),
            )
            if may_read_restricted(request.user, student):
                return redirect("exchanges:incident_detail", pk=incident.pk)
            return redirect("exchanges:student_detail", pk=student.pk)
    return render(
        request, "exchanges/monitoring/incident_form.html", {"student": student, "form": form}
    )


def _list(request: HttpRequest, found: list[Incident], member: Member | None) -> HttpResponse:
    services.list_incidents(incidents=found, member=member, by=request.user)
    now = timezone.now()
    rows = [
        (i, i.report_open and i.report_due_at is not None and i.report_due_at < now) for i in found
    ]
    context = {"member": member, "rows": rows, "overdue": sum(1 for _i, late in rows if late)}
    return render(request, "exchanges/monitoring/incident_list.html", context)


@require_safe
def committee_incidents(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_object_or_404(Member, slug=slug)
    if not may_read_restricted_of(request.user, member):
        raise Http404
    if refused := reauth_redirect(request):
        return refused
    found = list(Incident.objects.for_host(member).listed())
    return _list(request, found, member)


@staff_required
@require_safe
def staff_incidents(request: HttpRequest) -> HttpResponse:
    if not may_read_special(request.user):
        raise Http404
    if refused := reauth_redirect(request):
        return refused
    found = list(Incident.objects.listed().order_by("status", "-occurred_on", "-pk"))
    return _list(request, found, None)


def _readable(request: HttpRequest, pk: int) -> Incident:
    incident = get_object_or_404(Incident.objects.listed().select_related("placement"), pk=pk)
    if not may_read_restricted(request.user, incident.student):
        raise Http404
    return incident


@require_safe
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _readable(request, pk)
    if refused := reauth_redirect(request):
        return refused
    services.read_incident(incident=incident, by=request.user)
    welfare = may_read_special(request.user)
    context = {
        "incident": incident,
        "late": incident.report_open
        and incident.report_due_at is not None
        and incident.report_due_at < timezone.now(),
        "report_form": MandatoryReportForm() if welfare and incident.report_open else None,
        "welfare": welfare,
    }
    return render(request, "exchanges/monitoring/incident_detail.html", context)


@require_POST
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _readable(request, pk)
    if not may_read_special(request.user):
        raise Http404
    if refused := reauth_redirect(request):
        return refused
    form = MandatoryReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the report and the Department's reference."))
    else:
        try:
            services.close_mandatory_report(incident=incident, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("The report to the Department of State is recorded."))
    return redirect("exchanges:incident_detail", pk=incident.pk)


@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _readable(request, pk)
    if refused := reauth_redirect(request):
        return refused
    try:
        services.close_incident(incident=incident, by=request.user)
    except ValidationError as error:
        messages.error(request, flat_errors(error))
    else:
        messages.success(request, _("Incident closed."))
    return redirect("exchanges:incident_detail", pk=incident.pk)
