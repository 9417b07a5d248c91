"""Matching, placement and orientation (issue 10 section 3).

- `suggest_families`: the hosting committee's approved families with a free place, ranked by
  the rules below, each with its reasons. Only a family with a `FamilyApproval` row and fewer
  current placements than the approval's capacity is ever offered.
- `place_student`: a student the association accepted goes to an approved family (under the
  approval row's lock, within its capacity), a school with its signed acceptance letter on
  file and a local coordinator whose training is current; the student becomes `placed`
  through `students.change_status` (status history, e-mails, audit).
- `change_placement`: ends the current placement with its reason and opens the new one in
  the same transaction (the history stays), and e-mails the families and local coordinators
  concerned through the outbox (`exchanges.placement_changed`: never the reason).
- `record_orientation`: the orientation before arrival and after it, once each.

The ranking's rules (score, higher first; then the nearest school, then the family's name):

- allergies (restricted) against the family's pets: -100 when an allergy names an animal the
  family keeps (or pets or animals in general, and the family keeps any). The reason's words
  are shown only to those `rules.may_read_restricted` lets read the restricted details;
  everyone else reads "Health fit checked" or "Health fit: ask the exchange coordinator".
- smoking: -50 when someone smokes at home and the student asked for a smoke-free home; +10
  for a smoke-free home.
- pets: -30 when the family keeps pets and the student would rather not live with any.
- languages in common: +10 for each.
- distance: minus the kilometres to the nearest school with a signed letter, as recorded by the
  coordinator (no penalty, and said so, when none is recorded).
- remaining capacity: +1 for each free place (a family with room to spare first).
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.special import log_special_read
from twinning.exchanges.emails import PLACEMENT_CHANGED
from twinning.exchanges.models import (
    Coordinator,
    FamilyApproval,
    HostFamily,
    MatchingPreferences,
    Orientation,
    Placement,
    RestrictedDetails,
    School,
    SchoolDistance,
    Student,
)
from twinning.exchanges.rules import may_read_restricted
from twinning.exchanges.services.staff import training_problem
from twinning.exchanges.services.students import change_status
from twinning.outbox.services import queue_email

ALLERGY_PENALTY = 100
SMOKING_PENALTY = 50
SMOKE_FREE_BONUS = 10
PETS_PENALTY = 30
LANGUAGE_BONUS = 10
# Words of an allergy that concern any animal a family keeps.
ANY_ANIMAL = ("pet", "pets", "animal", "animals", "fur", "dander")
# Animals a family may keep, with the words that name them.
ANIMALS = {
    "dog": ("dog", "dogs", "puppy"),
    "cat": ("cat", "cats", "kitten"),
    "horse": ("horse", "horses", "pony"),
    "rabbit": ("rabbit", "rabbits"),
    "bird": ("bird", "birds", "parrot", "feathers"),
    "rodent": ("hamster", "hamsters", "guinea", "mouse", "mice", "rat", "rats", "rodent"),
}
# Statuses of a student whose current placement may be changed.
CHANGEABLE = (Student.Status.PLACED, Student.Status.VISA_ISSUED, Student.Status.ARRIVED)
# Statuses in which each orientation may be recorded.
ORIENTATION_STATUSES = {
    Orientation.Kind.PRE_ARRIVAL: (
        Student.Status.ACCEPTED,
        Student.Status.PLACED,
        Student.Status.VISA_ISSUED,
        Student.Status.ARRIVED,
    ),
    Orientation.Kind.POST_ARRIVAL: (
        Student.Status.ARRIVED,
        Student.Status.COMPLETED,
        Student.Status.RETURNED_EARLY,
    ),
}
MATCHING_PURPOSE = "exchange matching"


def _check_manages(student: Student, by: Any) -> None:
    require(by, "exchanges.manage_committee", student.quota.host)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def languages(text: str) -> dict[str, str]:
    """The languages of a comma-separated list, by their lower-case name."""
    return {part.strip().lower(): part.strip() for part in text.split(",") if part.strip()}


def allergy_conflict(allergies: str, pets: str) -> bool:
    """Whether an allergy concerns the pets a family keeps: the same animal in both, or an
    allergy to pets or animals in general while the family keeps any."""
    if not pets.strip():
        return False
    allergic, kept = _words(allergies), _words(pets)
    if allergic & set(ANY_ANIMAL):
        return True
    return any(allergic & set(names) and kept & set(names) for names in ANIMALS.values())


def approvals_with_room(member: Any) -> QuerySet[FamilyApproval]:
    """The committee's approved families with a free place, `taken` annotated."""
    return (
        FamilyApproval.objects.filter(
            family__member=member, family__status=HostFamily.Status.APPROVED
        )
        .annotate(taken=Count("placements", filter=Q(placements__ended_at__isnull=True)))
        .filter(taken__lt=F("capacity"))
        .select_related("family")
    )


def schools_with_letter(member: Any) -> QuerySet[School]:
    return School.objects.filter(member=member).exclude(letter_file="").order_by("name", "pk")


def coordinators_trained(member: Any, on: datetime.date | None = None) -> list[Coordinator]:
    """The committee's coordinators who may be given a new assignment on `on`."""
    found = Coordinator.objects.filter(member=member).prefetch_related("trainings")
    return [c for c in found.order_by("name", "pk") if not training_problem(c, on=on)]


@dataclass
class Reason:
    """One reason of the ranking: its words for this reader, its weight in the score, and
    `neutral`, the words kept with a placement (never a restricted word) when they differ."""

    text: str
    weight: int = 0
    neutral: str = ""

    @property
    def tone(self) -> str:
        return "ok" if self.weight > 0 else "warn" if self.weight < 0 else ""


@dataclass
class Suggestion:
    approval: FamilyApproval
    free: int
    reasons: list[Reason] = field(default_factory=list)
    school: School | None = None
    km: Decimal | None = None

    @property
    def family(self) -> HostFamily:
        return self.approval.family

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    def neutral_reasons(self) -> str:
        """The reasons as stored with a placement: never a restricted word."""
        return "\n".join(r.neutral or r.text for r in self.reasons)


def _health_reason(allergies: str, pets: str, shown: bool) -> Reason:
    conflict = allergy_conflict(allergies, pets)
    weight = -ALLERGY_PENALTY if conflict else 0
    neutral = (
        _("Health fit: ask the exchange coordinator before choosing this family.")
        if conflict
        else _("Health fit checked.")
    )
    if not shown:
        return Reason(neutral, weight)
    if conflict:
        text = _("Allergies: the student's allergies concern the family's pets.")
    elif allergies.strip():
        text = _("Allergies: none concerns the family's pets.")
    else:
        text = _("Allergies: none recorded.")
    return Reason(text, weight, neutral=neutral)


def _reasons(
    approval: FamilyApproval,
    *,
    free: int,
    preferences: MatchingPreferences,
    allergies: str,
    shown: bool,
    nearest: SchoolDistance | None,
) -> list[Reason]:
    family = approval.family
    found = [_health_reason(allergies, family.pets, shown)]
    if family.smoking and not preferences.accepts_smoking:
        found.append(
            Reason(
                _("Someone smokes in the home; the student asked for a smoke-free home."),
                -SMOKING_PENALTY,
            )
        )
    elif family.smoking:
        found.append(Reason(_("Someone smokes in the home (the student does not mind)."), 0))
    else:
        found.append(Reason(_("A smoke-free home."), SMOKE_FREE_BONUS))
    if family.pets.strip() and not preferences.accepts_pets:
        found.append(
            Reason(
                _("Pets (%(pets)s); the student would rather not live with pets.")
                % {"pets": family.pets},
                -PETS_PENALTY,
            )
        )
    elif family.pets.strip():
        found.append(Reason(_("Pets: %(pets)s.") % {"pets": family.pets}, 0))
    spoken = languages(preferences.languages)
    common = [name for key, name in languages(family.languages).items() if key in spoken]
    if common:
        found.append(
            Reason(
                _("Languages in common: %(languages)s.") % {"languages": ", ".join(common)},
                LANGUAGE_BONUS * len(common),
            )
        )
    else:
        found.append(Reason(_("No language in common recorded."), 0))
    if nearest is not None:
        found.append(
            Reason(
                _("%(km)s km to %(school)s.") % {"km": nearest.km, "school": nearest.school.name},
                -round(nearest.km),
            )
        )
    else:
        found.append(Reason(_("Distance to a school not recorded."), 0))
    found.append(
        Reason(
            _("%(free)d of %(capacity)d place(s) free.")
            % {"free": free, "capacity": approval.capacity},
            free,
        )
    )
    return found


def preferences_of(student: Student) -> MatchingPreferences:
    found = MatchingPreferences.objects.filter(student=student).first()
    return found or MatchingPreferences(student=student)


@transaction.atomic
def suggest_families(*, student: Student, by: Any, reveal: bool = True) -> list[Suggestion]:
    """The hosting committee's approved families with a free place for `student`, best first,
    with the reasons of the ranking (the committee's managers and verified staff). The student's
    allergies are used for every reader and logged as a read of restricted details (purpose
    "exchange matching"); the allergy reason is worded only for those who may read them, and
    only with `reveal` (the pages pass whether the session was recently re-authenticated)."""
    _check_manages(student, by)
    member = student.quota.host
    shown = reveal and may_read_restricted(by, student)
    details = RestrictedDetails.objects.filter(student=student).first()
    allergies = details.allergies if details else ""
    if allergies:
        log_special_read(
            student,
            "exchanges.restricted.read",
            by=by,
            fields=("allergies",),
            purpose=MATCHING_PURPOSE,
            quota=student.quota_id,
            shown=shown,
        )
    preferences = preferences_of(student)
    letters = schools_with_letter(member)
    approvals = approvals_with_room(member).prefetch_related(
        Prefetch(
            "family__distances",
            queryset=SchoolDistance.objects.filter(school__in=letters).select_related("school"),
            to_attr="letter_distances",
        )
    )
    suggestions = []
    for approval in approvals:
        family = approval.family
        free = approval.capacity - approval.taken  # type: ignore[attr-defined]
        distances: list[SchoolDistance] = family.letter_distances  # type: ignore[attr-defined]
        nearest = min(distances, key=lambda d: (d.km, d.pk)) if distances else None
        reasons = _reasons(
            approval,
            free=free,
            preferences=preferences,
            allergies=allergies,
            shown=shown,
            nearest=nearest,
        )
        suggestions.append(
            Suggestion(
                approval=approval,
                free=free,
                reasons=reasons,
                school=nearest.school if nearest else None,
                km=nearest.km if nearest else None,
            )
        )
    suggestions.sort(
        key=lambda s: (
            -s.score,
            s.km if s.km is not None else Decimal("1e6"),
            s.family.family_name,
            s.approval.pk,
        )
    )
    return suggestions


# --- Recording what the ranking uses -------------------------------------------------------------


@transaction.atomic
def record_preferences(
    *, student: Student, accepts_pets: bool, accepts_smoking: bool, languages: str, by: Any
) -> MatchingPreferences:
    """The student's wishes for the home (the committee's managers or verified staff)."""
    _check_manages(student, by)
    found, _created = MatchingPreferences.objects.select_for_update().get_or_create(student=student)
    found.accepts_pets = accepts_pets
    found.accepts_smoking = accepts_smoking
    found.languages = ", ".join(languages_list(languages))
    found.full_clean()
    found.save()
    log_activity(student, "exchanges.student.preferences_recorded", by=by)
    return found


def languages_list(text: str) -> list[str]:
    return list(languages(text).values())


@transaction.atomic
def record_school_distance(
    *, family: HostFamily, school: School, km: Decimal, by: Any
) -> SchoolDistance:
    """How far the family lives from the school, in km (the committee's managers or verified
    staff); a new figure replaces the old one."""
    require(by, "exchanges.manage_committee", family.member)
    if school.member_id != family.member_id:
        raise ValidationError({"school": _("Choose one of the committee's schools.")})
    if km < 0 or km >= 1000:
        raise ValidationError({"km": _("Give the distance in kilometres, from 0 to 999.")})
    found = SchoolDistance.objects.filter(family=family, school=school).first() or SchoolDistance(
        family=family, school=school
    )
    found.km = km
    found.recorded_by = acting_user(by)
    found.full_clean()
    found.save()
    log_activity(family, "exchanges.family.distance_recorded", by=by, data={"school": school.pk})
    return found


# --- Placing -------------------------------------------------------------------------------------


def _locked_approval(approval: FamilyApproval, member: Any) -> FamilyApproval:
    """The approval row, locked (every placement with this family waits here), or a
    ValidationError when the family is not (or no longer) approved by this committee. No join
    is locked: the family is read after the lock (PostgreSQL refuses FOR UPDATE across
    nullable outer joins)."""
    locked = FamilyApproval.objects.select_for_update(of=("self",)).filter(pk=approval.pk).first()
    family = HostFamily.objects.filter(pk=locked.family_id).first() if locked else None
    if (
        locked is None
        or family is None
        or family.member_id != member.pk
        or family.status != HostFamily.Status.APPROVED
    ):
        raise ValidationError({"approval": _("This family is not approved by the committee.")})
    locked.family = family
    return locked


def _check_place(
    member: Any, approval: FamilyApproval, school: School, coordinator: Coordinator
) -> FamilyApproval:
    """The checks every new placement passes; returns the locked approval."""
    locked = _locked_approval(approval, member)
    school = School.objects.get(pk=school.pk)
    if school.member_id != member.pk:
        raise ValidationError({"school": _("Choose one of the committee's schools.")})
    if not school.has_letter:
        raise ValidationError(
            {"school": _("The school's signed acceptance letter is not on file yet.")}
        )
    coordinator = Coordinator.objects.prefetch_related("trainings").get(pk=coordinator.pk)
    if coordinator.member_id != member.pk:
        raise ValidationError({"coordinator": _("Choose one of the committee's coordinators.")})
    if problem := training_problem(coordinator):
        raise ValidationError({"coordinator": problem})
    taken = Placement.objects.current().filter(approval=locked).count()
    if taken >= locked.capacity:
        raise ValidationError(
            {"approval": _("The family already hosts as many students as it was approved for.")}
        )
    return locked


def _locked_student(student: Student) -> Student:
    return (
        Student.objects.select_for_update(of=("self",))
        .select_related("quota__host", "season")
        .get(pk=student.pk)
    )


@transaction.atomic
def place_student(
    *,
    student: Student,
    approval: FamilyApproval,
    school: School,
    coordinator: Coordinator,
    starts_on: datetime.date,
    reasons: str = "",
    by: Any,
) -> Placement:
    """Place a student the association accepted with an approved family of the hosting
    committee (the committee's managers or verified staff). Refused: a student not accepted or
    already placed, a family not approved or full, a school without its signed acceptance
    letter, a coordinator whose training is not current. The student becomes `placed`
    (status history, e-mails, audit)."""
    _check_manages(student, by)
    student = _locked_student(student)
    member = student.quota.host
    if student.status != Student.Status.ACCEPTED:
        raise ValidationError(_("Only a student the association accepted can be placed."))
    if Placement.objects.current().filter(student=student).exists():
        raise ValidationError(_("The student is already placed: change the placement instead."))
    if starts_on > student.season.departure_date:
        raise ValidationError({"starts_on": _("The placement must start before the departure.")})
    locked = _check_place(member, approval, school, coordinator)
    placement = Placement(
        student=student,
        approval=locked,
        school=school,
        coordinator=coordinator,
        starts_on=starts_on,
        reasons=reasons.strip(),
        placed_by=acting_user(by),
    )
    placement.full_clean()
    placement.save()
    log_activity(
        placement,
        "exchanges.placement.made",
        by=by,
        data={"student": student.pk, "approval": locked.pk, "school": school.pk},
    )
    change_status(
        student=student,
        status=Student.Status.PLACED,
        message=_("Placed with the %(family)s family; school: %(school)s.")
        % {"family": locked.family.family_name, "school": school.name},
        by=by,
        placement=placement,
    )
    return placement


@transaction.atomic
def change_placement(
    *,
    placement: Placement,
    approval: FamilyApproval,
    school: School,
    coordinator: Coordinator,
    reason: str,
    starts_on: datetime.date | None = None,
    by: Any,
) -> Placement:
    """End the student's current placement with its reason and open the new one, in one
    transaction (the committee's managers or verified staff). The new family, school and
    coordinator pass the checks of a first placement; the student's status stays."""
    _check_manages(placement.student, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the placement changes.")})
    student = _locked_student(placement.student)
    current = Placement.objects.select_for_update(of=("self",)).filter(pk=placement.pk).first()
    if current is None or current.ended_at is not None or current.student_id != student.pk:
        raise ValidationError(_("This placement has already ended."))
    if student.status not in CHANGEABLE:
        raise ValidationError(_("The student's stay is over: the placement cannot change."))
    current.ended_at = timezone.now()
    current.end_reason = reason.strip()
    current.full_clean()
    current.save(update_fields=["ended_at", "end_reason", "updated_at"])
    locked = _check_place(student.quota.host, approval, school, coordinator)
    opened = Placement(
        student=student,
        approval=locked,
        school=school,
        coordinator=coordinator,
        starts_on=starts_on or association_today(),
        reasons=reason.strip(),
        placed_by=acting_user(by),
    )
    opened.full_clean()
    opened.save()
    log_activity(
        opened,
        "exchanges.placement.changed",
        by=by,
        data={"student": student.pk, "ended": current.pk, "approval": locked.pk},
    )
    _placement_changed_mail(ended=current, opened=opened, by=by)
    return opened


def _placement_changed_mail(*, ended: Placement, opened: Placement, by: Any) -> None:
    """Tell the families concerned (the one the student leaves and the new one) and the local
    coordinators (the former and the new) of the new placement, once per address. A family
    reads its own page, a coordinator the student's. Neither the reason nor anything
    restricted goes in the mail."""
    student = opened.student
    family_page = absolute_url(reverse("exchanges:family_home"))
    student_page = absolute_url(reverse("exchanges:student_detail", kwargs={"pk": student.pk}))
    recipients: dict[str, str] = {}
    for placement in (ended, opened):
        family_user = placement.approval.family.user
        coordinator_user = placement.coordinator.user
        if coordinator_user.email:
            recipients.setdefault(coordinator_user.email.lower(), student_page)
        if family_user.email:
            recipients.setdefault(family_user.email.lower(), family_page)
    context = {
        "student_name": student.name,
        "season": student.season.name,
        "starts_on": date_format(opened.starts_on, "DATE_FORMAT"),
        "family_name": opened.approval.family.family_name,
        "school": opened.school.name,
        "coordinator_name": opened.coordinator.name,
    }
    for address, page_url in sorted(recipients.items()):
        queue_email(
            to=address,
            template=PLACEMENT_CHANGED,
            context={**context, "page_url": page_url},
            related=opened,
            by=by,
        )


# --- Orientation ---------------------------------------------------------------------------------


@transaction.atomic
def record_orientation(
    *, student: Student, kind: str, held_on: datetime.date, notes: str = "", by: Any
) -> Orientation:
    """The orientation before arrival (once accepted) or after it (once arrived), once each
    (the committee's managers or verified staff)."""
    _check_manages(student, by)
    student = _locked_student(student)
    if kind not in Orientation.Kind.values:
        raise ValidationError({"kind": _("Choose the orientation.")})
    if held_on > association_today():
        raise ValidationError({"held_on": _("The date is in the future.")})
    if student.status not in ORIENTATION_STATUSES[Orientation.Kind(kind)]:
        raise ValidationError(
            {
                "kind": _("A student who is %(status)s cannot have this orientation recorded.")
                % {"status": student.get_status_display().lower()}
            }
        )
    if Orientation.objects.filter(student=student, kind=kind).exists():
        raise ValidationError({"kind": _("This orientation is already recorded.")})
    found = Orientation(
        student=student,
        kind=kind,
        held_on=held_on,
        notes=notes.strip(),
        recorded_by=acting_user(by),
    )
    found.full_clean()
    found.save()
    log_activity(student, "exchanges.orientation.recorded", by=by, data={"kind": kind})
    return found


# --- Reads for the pages -------------------------------------------------------------------------


# What a placement list's row shows, read as values (no model instance): name -> lookup.
LISTED_VALUES = {
    "student_pk": F("student_id"),
    "first_name": F("student__person__first_name"),
    "last_name": F("student__person__last_name"),
    "season_name": F("student__season__name"),
    "committee_slug": F("student__quota__host__slug"),
    "committee_name": F("student__quota__host__name"),
    "family_name": F("approval__family__family_name"),
    "school_name": F("school__name"),
    "coordinator_name": F("coordinator__name"),
    "status": F("student__status"),
}


def listed_placements() -> QuerySet[Placement, Any]:
    """Current placements as the lists show them (`LISTED_VALUES` and the start), by the
    student's name: one query of values, sliced by the page; `with_orientations` then adds
    the page's orientations."""
    return (
        Placement.objects.current()
        .order_by("student__person__last_name", "student__person__first_name", "pk")
        .values("pk", "starts_on", **LISTED_VALUES)
    )


def with_orientations(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """`listed_placements` rows (a page), each with `status_label` and `orientations` (the
    kinds held: `pre_arrival`, `post_arrival`), in one query."""
    rows = list(rows)
    held: dict[int, set[str]] = {row["student_pk"]: set() for row in rows}
    found = Orientation.objects.filter(student_id__in=list(held)).order_by()
    for student, kind in found.values_list("student_id", "kind"):
        held[student].add(kind)
    for row in rows:
        row["status_label"] = Student.Status(row["status"]).label
        row["orientations"] = dict.fromkeys(held[row["student_pk"]], True)
    return rows


def history(student: Student) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(student=student)
        .select_related("approval__family", "school", "coordinator")
        .order_by("created_at", "pk")
    )


def family_placements(user: Any) -> QuerySet[Placement]:
    """The placements of the families `user` applied as, current and past (what their own page
    shows: the student's name and the dates, nothing restricted)."""
    return (
        Placement.objects.filter(approval__family__user=user)
        .select_related("student__person", "student__season", "approval__family")
        .order_by("-starts_on", "pk")
    )


__all__ = [
    "Reason",
    "Suggestion",
    "allergy_conflict",
    "change_placement",
    "listed_placements",
    "place_student",
    "record_orientation",
    "record_preferences",
    "record_school_distance",
    "suggest_families",
    "with_orientations",
]
