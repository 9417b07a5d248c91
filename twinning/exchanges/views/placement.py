"""Matching, placement and orientation pages (issue 10 section 3).

- The student's matching page (the hosting committee's managers and verified staff; 404 for
  everyone else, the sending contact included): the ranked families with their reasons, the
  form that confirms a placement (or changes the current one), the student's wishes and the
  distances from homes to schools the ranking uses. The reasons name the student's allergies
  only for those `rules.may_read_restricted` lets read them.
- The committee's placement list, and staff's list of every committee's placements (filtered
  by season and committee).
- Orientation is recorded from the student's page (`student_orientation`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.accounts.reauth import is_recently_authenticated
from twinning.core.paging import paginate
from twinning.exchanges.forms import (
    ChangePlacementForm,
    DistanceForm,
    OrientationForm,
    PlacementForm,
    PreferencesForm,
)
from twinning.exchanges.models import Placement, Season, Student
from twinning.exchanges.services import placement as services
from twinning.exchanges.views.common import (
    flat_errors,
    hosting_committees,
    managed_member,
    visible_student,
)


def _managed_student(request: HttpRequest, pk: int) -> Student:
    """The student when the user manages the hosting committee's exchange; 404 otherwise."""
    student, _contact = visible_student(request, pk)
    if not request.user.has_perm("exchanges.manage_committee", student.quota.host):
        raise Http404
    return student


def _initial(student: Student, suggestions: list[services.Suggestion]) -> dict[str, Any]:
    best = suggestions[0] if suggestions else None
    return {
        "approval": best.approval.pk if best else None,
        "school": best.school.pk if best and best.school else None,
        "starts_on": student.season.arrival_date,
    }


@login_required
@require_safe
def student_matching(request: HttpRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    member = student.quota.host
    current = Placement.objects.current().filter(student=student).first()
    placeable = student.status == Student.Status.ACCEPTED and current is None
    changeable = current is not None and student.status in services.CHANGEABLE
    suggestions = (
        services.suggest_families(
            student=student, by=request.user, reveal=is_recently_authenticated(request)
        )
        if placeable or changeable
        else []
    )
    preferences = services.preferences_of(student)
    form_class = ChangePlacementForm if changeable else PlacementForm
    context = {
        "student": student,
        "member": member,
        "current": current,
        "placeable": placeable,
        "changeable": changeable,
        "suggestions": suggestions,
        "form": form_class(member=member, initial=_initial(student, suggestions))
        if placeable or changeable
        else None,
        "preferences_form": PreferencesForm(
            initial={
                "accepts_pets": preferences.accepts_pets,
                "accepts_smoking": preferences.accepts_smoking,
                "languages": preferences.languages,
            }
        ),
        "distance_form": DistanceForm(member=member),
        "schools_with_letter": services.schools_with_letter(member),
        "coordinators": services.coordinators_trained(member),
    }
    return render(request, "exchanges/placement/matching.html", context)


def _reasons_for(student: Student, approval: Any, by: Any) -> str:
    """The neutral reasons of the chosen family, as the ranking gave them."""
    suggestions = services.suggest_families(student=student, by=by, reveal=False)
    return next((s.neutral_reasons() for s in suggestions if s.approval.pk == approval.pk), "")


@login_required
@require_POST
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    form = PlacementForm(request.POST, member=student.quota.host)
    if not form.is_valid():
        messages.error(request, _("Choose the family, the school, the coordinator and the date."))
        return redirect("exchanges:student_matching", pk=student.pk)
    try:
        services.place_student(
            student=student,
            **form.cleaned_data,
            reasons=_reasons_for(student, form.cleaned_data["approval"], request.user),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, flat_errors(error))
        return redirect("exchanges:student_matching", pk=student.pk)
    messages.success(request, _("The student is placed; they and their contact are told."))
    return redirect("exchanges:student_detail", pk=student.pk)


@login_required
@require_POST
def placement_change(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(Placement.objects.select_related("student"), pk=pk)
    student = _managed_student(request, placement.student_id)
    form = ChangePlacementForm(request.POST, member=student.quota.host)
    if not form.is_valid():
        messages.error(
            request,
            _("Choose the family, the school, the coordinator and the date, and say why."),
        )
        return redirect("exchanges:student_matching", pk=student.pk)
    try:
        services.change_placement(placement=placement, **form.cleaned_data, by=request.user)
    except ValidationError as error:
        messages.error(request, flat_errors(error))
        return redirect("exchanges:student_matching", pk=student.pk)
    messages.success(
        request,
        _(
            "The placement is changed; the earlier one is kept in the history. The families "
            "and coordinators concerned are told by e-mail."
        ),
    )
    return redirect("exchanges:student_detail", pk=student.pk)


@login_required
@require_POST
def student_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        services.record_preferences(student=student, **form.cleaned_data, by=request.user)
        messages.success(request, _("The student's wishes are saved."))
    else:
        messages.error(request, _("List the languages in at most 200 characters."))
    return redirect("exchanges:student_matching", pk=student.pk)


@login_required
@require_POST
def family_distance(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    form = DistanceForm(request.POST, member=member)
    if form.is_valid():
        try:
            services.record_school_distance(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Distance recorded."))
    else:
        messages.error(request, _("Choose the family and the school, and give the kilometres."))
    back = request.POST.get("student", "")
    if back.isdigit() and Student.objects.for_host(member).filter(pk=int(back)).exists():
        return redirect("exchanges:student_matching", pk=int(back))
    return redirect("exchanges:placement_list", slug=member.slug)


@login_required
@require_POST
def student_orientation(request: HttpRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    form = OrientationForm(request.POST)
    if form.is_valid():
        try:
            services.record_orientation(student=student, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Orientation recorded."))
    else:
        messages.error(request, _("Choose the orientation and its date."))
    return redirect("exchanges:student_detail", pk=student.pk)


# --- Lists ---------------------------------------------------------------------------------------


@login_required
@require_safe
def placement_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    page = paginate(request, services.listed_placements().filter(student__quota__host=member))
    waiting = Student.objects.for_host(member).filter(status=Student.Status.ACCEPTED).listed()
    context = {
        "member": member,
        "page": page,
        "rows": services.with_orientations(page.object_list),
        "waiting": waiting,
        "distance_form": DistanceForm(member=member),
    }
    return render(request, "exchanges/placement/list.html", context)


@staff_required
@require_safe
def staff_placements(request: HttpRequest) -> HttpResponse:
    seasons = Season.objects.order_by("-arrival_date", "pk")
    found = services.listed_placements()
    season = request.GET.get("season", "")
    committee = request.GET.get("committee", "")
    if season:
        found = found.filter(student__season__slug=season)
    if committee:
        found = found.filter(student__quota__host__slug=committee)
    page = paginate(request, found)
    context = {
        "page": page,
        "rows": services.with_orientations(page.object_list),
        "seasons": seasons,
        "committees": hosting_committees(),
        "season": season,
        "committee": committee,
    }
    return render(request, "exchanges/placement/staff_list.html", context)
