"""The Youth Leadership Summit: who may come (ages on the first day), who may read the
restricted details, the chaperone ratio that limits confirmations, rooms and teams assigned by
a rule anyone on the page can read, and retention.

Readers of the restricted details (RELIABILITY P-07), decided here once:
- welfare staff (`twinning.core.special.may_read_special`: verified staff holding the
  `staff_welfare` capability) and the summit's nurse read everything (emergency contacts,
  medical notes, allergies, dietary needs); other staff run the summit (lists, rooms, teams)
  without them;
- the summit's chaperones read the emergency contacts and the allergies: they are the adults
  with the students on an outing when something happens, and an allergy is the one medical
  fact they must act on without the nurse. Medical notes stay with the nurse; dietary needs
  too, as they may reveal religion (special-category data) and the kitchen is told by staff;
- a chaperone or nurse reads only while their background check is done and valid through
  the summit's last day;
- nobody else: not the delegation leader, not other students, not committee admins or judges.
Every read goes through `read_summit_details`, which writes one audit entry through
`twinning.core.special.log_special_read` (K3: who, whose record, which fields, never the
values). The pages that show them also ask for a fresh re-authentication (B12, the views').
Only welfare staff write them (`update_summit_details`): its form shows the current values."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from twinning.core.authz import NotAllowed, is_verified_staff, require_verified_staff
from twinning.core.dates import add_months
from twinning.core.privacy import shred_audit_data
from twinning.core.services import log_activity
from twinning.core.special import log_special_read, may_read_special, require_special_reader
from twinning.events.models import (
    Answer,
    Attendee,
    Event,
    ResidenceRoom,
    RoomAssignment,
    SummitChaperone,
    SummitDetails,
    Team,
    TeamMember,
)

SUMMIT_MIN_AGE = 14
SUMMIT_MAX_AGE = 18
ADULT_AGE = 18
# RELIABILITY.md section 3: health and emergency data 60 days after the event ends; the rest of
# a summit registration 24 months after.
RESTRICTED_RETENTION_DAYS = 60
PERSONAL_RETENTION_MONTHS = 24
DEFAULT_BACKGROUND_CHECK_MONTHS = 36

RESTRICTED_FIELDS = ("emergency_contacts", "medical_notes", "allergies", "dietary_needs")
CHAPERONE_FIELDS = ("emergency_contacts", "allergies")
ACTIVE_STATES = (Attendee.State.APPROVED, Attendee.State.CONFIRMED)


def background_check_months() -> int:
    """How long a background check stays valid (settings.TWINNING_SUMMIT_BACKGROUND_CHECK_MONTHS,
    36 months by default)."""
    return int(
        getattr(
            settings, "TWINNING_SUMMIT_BACKGROUND_CHECK_MONTHS", DEFAULT_BACKGROUND_CHECK_MONTHS
        )
    )


# --- Dates and ages ------------------------------------------------------------------------------


def first_day(event: Event) -> datetime.date:
    """The summit's first day in its own time zone."""
    return event.starts_at.astimezone(event.zone).date()


def last_day(event: Event) -> datetime.date:
    return event.ends_at.astimezone(event.zone).date()


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (someone born on 29 February is a year older on 1 March in a
    year without one)."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def age_limits(event: Event) -> tuple[int, int]:
    """The event's minimum and maximum age; a summit without its own keeps 14 to 18."""
    low = event.min_age if event.min_age is not None else SUMMIT_MIN_AGE
    high = event.max_age if event.max_age is not None else SUMMIT_MAX_AGE
    return low, high


def summit_age_reasons(event: Event, date_of_birth: datetime.date | None) -> list[str]:
    """Why someone born on `date_of_birth` may not take part, in words (empty: they may). The
    age counts on the summit's first day in the summit's time zone."""
    low, high = age_limits(event)
    day = first_day(event)
    when = date_format(day, "DATE_FORMAT")
    if date_of_birth is None:
        return [
            _("A date of birth is needed: the summit is for students aged %(low)s to %(high)s.")
            % {"low": low, "high": high}
        ]
    if date_of_birth > day:
        return [_("The date of birth is after the summit's first day; please check it.")]
    age = age_on(date_of_birth, day)
    limits = {"low": low, "high": high, "day": when, "age": age}
    if age < low:
        return [
            _(
                "The summit is for students aged %(low)s to %(high)s on its first day "
                "(%(day)s); on that day this student will be %(age)s."
            )
            % limits
        ]
    if age > high:
        return [
            _(
                "The summit is for students aged %(low)s to %(high)s on its first day "
                "(%(day)s); on that day this student will already be %(age)s."
            )
            % limits
        ]
    return []


# --- Who is at the summit ------------------------------------------------------------------------


def summit_participants(event: Event) -> QuerySet[Attendee]:
    """Everyone of the summit, whatever their state: attendees of the summit itself, and when
    the summit shares its parent's registration, the parent's youth-ticket holders and
    chaperones."""
    condition = Q(event=event)
    if event.parent_id:
        condition |= Q(event_id=event.parent_id) & (
            Q(ticket__for_youth=True) | Q(role=Attendee.Role.CHAPERONE)
        )
    return Attendee.objects.filter(condition)


def active_participants(event: Event) -> QuerySet[Attendee]:
    return summit_participants(event).filter(state__in=ACTIVE_STATES)


def student_condition() -> Q:
    return Q(ticket__for_youth=True) | Q(role=Attendee.Role.STUDENT)


def is_student(attendee: Attendee) -> bool:
    return attendee.role == Attendee.Role.STUDENT or attendee.ticket.for_youth


def summit_of(attendee: Attendee) -> Event | None:
    """The summit `attendee` belongs to, if any."""
    if attendee.event.kind == Event.Kind.SUMMIT:
        return attendee.event
    if attendee.ticket.for_youth or attendee.role == Attendee.Role.CHAPERONE:
        return attendee.event.parts.filter(kind=Event.Kind.SUMMIT).order_by("pk").first()
    return None


def home_country(attendee: Attendee) -> str:
    if attendee.country_id:
        return attendee.country_id
    return attendee.community.country_id if attendee.community is not None else ""


# --- Chaperones and the ratio --------------------------------------------------------------------


def check_expires_on(chaperone: SummitChaperone) -> datetime.date | None:
    if chaperone.background_check_on is None:
        return None
    return add_months(chaperone.background_check_on, background_check_months())


def check_problem(chaperone: SummitChaperone, *, today: datetime.date | None = None) -> str:
    """Why this chaperone does not count (empty: their check is done and valid through the
    summit's last day)."""
    today = today or timezone.now().astimezone(chaperone.event.zone).date()
    if chaperone.background_check_on is None:
        return _("No background check recorded.")
    if chaperone.background_check_on > today:
        return _("The background check's date is in the future.")
    expires = add_months(chaperone.background_check_on, background_check_months())
    if expires <= last_day(chaperone.event):
        return _("The background check expires on %(day)s, before the summit ends.") % {
            "day": date_format(expires, "DATE_FORMAT")
        }
    if chaperone.attendee is not None and chaperone.attendee.state not in set(ACTIVE_STATES):
        return _("Their registration is not active.")
    return ""


def check_is_valid(chaperone: SummitChaperone, *, today: datetime.date | None = None) -> bool:
    return not check_problem(chaperone, today=today)


def counted_chaperones(event: Event) -> list[SummitChaperone]:
    """The chaperones (not the nurse) who count towards the ratio."""
    chaperones = event.summit_chaperones.filter(role=SummitChaperone.Role.CHAPERONE).select_related(
        "event", "attendee", "user"
    )
    return [c for c in chaperones if check_is_valid(c)]


def confirmed_students(event: Event) -> QuerySet[Attendee]:
    return summit_participants(event).filter(student_condition(), state=Attendee.State.CONFIRMED)


def student_places(event: Event) -> int:
    """How many students the summit may confirm with the chaperones it has."""
    return len(counted_chaperones(event)) * event.students_per_chaperone


def check_may_confirm(attendee: Attendee) -> None:
    """Raise ValidationError with the reason when the summit may not confirm this student:
    outside the ages, or beyond the chaperone ratio. Call it inside the transaction that
    confirms: it locks the summit's row, so two confirmations at once are counted one after
    the other (on PostgreSQL; SQLite's IMMEDIATE transactions serialise the writers anyway).
    Attendees who are not summit students pass."""
    summit = summit_of(attendee)
    if summit is None or not is_student(attendee):
        return
    with transaction.atomic():
        summit = Event.objects.select_for_update().get(pk=summit.pk)
        if reasons := summit_age_reasons(summit, attendee.date_of_birth):
            raise ValidationError(reasons)
        confirmed = confirmed_students(summit).exclude(pk=attendee.pk).count()
        places = student_places(summit)
        if confirmed >= places:
            raise ValidationError(
                _(
                    "The summit cannot confirm another student: %(confirmed)s are confirmed and "
                    "its %(chaperones)s chaperones with a valid background check allow "
                    "%(places)s (one chaperone for every %(ratio)s students). Name another "
                    "chaperone first."
                )
                % {
                    "confirmed": confirmed,
                    "chaperones": places // max(summit.students_per_chaperone, 1),
                    "places": places,
                    "ratio": summit.students_per_chaperone,
                }
            )


def _summit(event: Event) -> None:
    if event.kind != Event.Kind.SUMMIT:
        raise ValidationError(_("This event is not a Youth Leadership Summit."))


@transaction.atomic
def add_chaperone(
    *,
    event: Event,
    role: str,
    by: Any,
    user: Any = None,
    attendee: Attendee | None = None,
    background_check_on: datetime.date | None = None,
) -> SummitChaperone:
    """Name an adult (an account, or an attendee) as a chaperone or the nurse of the summit."""
    require_verified_staff(by)
    _summit(event)
    if attendee is not None:
        if not summit_participants(event).filter(pk=attendee.pk).exists():
            raise ValidationError({"attendee": _("This person is not registered for the summit.")})
        if attendee.date_of_birth and age_on(attendee.date_of_birth, first_day(event)) < ADULT_AGE:
            raise ValidationError({"attendee": _("A chaperone must be an adult.")})
        if user is None and attendee.user_id:
            user = attendee.user
    chaperone = SummitChaperone(
        event=event,
        user=user,
        attendee=attendee,
        role=role,
        background_check_on=background_check_on,
    )
    chaperone.full_clean()
    chaperone.save()
    log_activity(
        chaperone,
        "events.summit.chaperone_added",
        by=by,
        data={"role": role, "background_check_on": str(background_check_on or "")},
    )
    return chaperone


@transaction.atomic
def record_background_check(
    *, chaperone: SummitChaperone, checked_on: datetime.date, by: Any
) -> SummitChaperone:
    require_verified_staff(by)
    chaperone.background_check_on = checked_on
    chaperone.full_clean()
    chaperone.save(update_fields=["background_check_on", "updated_at"])
    log_activity(
        chaperone, "events.summit.background_check", by=by, data={"on": checked_on.isoformat()}
    )
    return chaperone


@transaction.atomic
def remove_chaperone(*, chaperone: SummitChaperone, by: Any) -> None:
    require_verified_staff(by)
    log_activity(
        chaperone.event, "events.summit.chaperone_removed", by=by, data={"id": chaperone.pk}
    )
    chaperone.delete()


# --- Restricted details --------------------------------------------------------------------------


def _named_roles(user: Any, event: Event) -> list[SummitChaperone]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        event.summit_chaperones.filter(Q(user=user) | Q(attendee__user=user)).select_related(
            "event", "attendee"
        )
    )


def is_summit_adult(user: Any, event: Event) -> bool:
    """A chaperone or the nurse of this summit whose background check is valid."""
    return any(check_is_valid(c) for c in _named_roles(user, event))


def restricted_fields_for(user: Any, event: Event) -> tuple[str, ...]:
    """The restricted fields `user` may read for participants of `event` (see the module's
    docstring): all for welfare staff and the nurse, emergency contacts and allergies for a
    chaperone, none for anyone else (other staff included)."""
    if may_read_special(user):
        return RESTRICTED_FIELDS
    roles = [c.role for c in _named_roles(user, event) if check_is_valid(c)]
    if SummitChaperone.Role.NURSE in roles:
        return RESTRICTED_FIELDS
    if SummitChaperone.Role.CHAPERONE in roles:
        return CHAPERONE_FIELDS
    return ()


def may_see_summit_lists(user: Any, event: Event) -> bool:
    """Room and team lists, and the participant list: staff and the summit's named adults."""
    return is_verified_staff(user) or is_summit_adult(user, event)


@transaction.atomic
def read_summit_details(*, event: Event, attendee: Attendee, by: Any) -> dict[str, str]:
    """The restricted details of `attendee` that `by` may read, and one audit entry saying who
    read which fields (K3). NotAllowed for anyone who may read none."""
    fields = restricted_fields_for(by, event)
    if not fields or not summit_participants(event).filter(pk=attendee.pk).exists():
        raise NotAllowed("events.read_summit_details")
    details = SummitDetails.objects.filter(attendee=attendee).first()
    log_special_read(
        attendee,
        "events.summit.details_read",
        by=by,
        fields=fields,
        purpose="summit care",
        event=event.pk,
    )
    return {name: getattr(details, name, "") if details else "" for name in fields}


@transaction.atomic
def update_summit_details(
    *, event: Event, attendee: Attendee, by: Any, **values: str
) -> SummitDetails:
    """Record a participant's restricted details (welfare staff, until the youth application
    collects them from the student and guardian)."""
    require_special_reader(by)
    if not summit_participants(event).filter(pk=attendee.pk).exists():
        raise NotAllowed("events.update_summit_details")
    details, _created = SummitDetails.objects.get_or_create(attendee=attendee)
    for name in RESTRICTED_FIELDS:
        if name in values:
            setattr(details, name, values[name])
    details.full_clean()
    details.save()
    # The values are health data: the entry names the fields, never their content.
    log_activity(
        attendee,
        "events.summit.details_changed",
        by=by,
        data={"fields": sorted(set(values) & set(RESTRICTED_FIELDS))},
    )
    return details


# --- Rooms ---------------------------------------------------------------------------------------

ROOM_RULE = (
    gettext_lazy("Each person sleeps in a room for their declared gender."),
    gettext_lazy(
        "Adults (18 and over on the first day, chaperones included) sleep only in adults-only "
        "rooms; minors only in the other rooms: an adult never shares a minor's room."
    ),
    gettext_lazy(
        "Within a gender and age group, people are taken from the oldest to the youngest, so each "
        "room holds people close in age."
    ),
    gettext_lazy(
        "Among the next few people in that order, the room takes the one whose home country it has "
        "fewest of, so countries mix where possible."
    ),
    gettext_lazy(
        "Rooms are filled in the order of their names; placements by staff are kept as they are."
    ),
    gettext_lazy(
        "Whoever has no declared gender or date of birth, or no free bed in a fitting room, is "
        "listed with the reason, for staff to place by hand."
    ),
)


def room_rule() -> list[str]:
    return [str(line) for line in ROOM_RULE]


@dataclass(frozen=True)
class Sleeper:
    key: int
    gender: str
    date_of_birth: datetime.date | None
    country: str = ""
    label: str = ""


@dataclass
class Bedroom:
    key: int
    name: str
    beds: int
    gender: str
    adults_only: bool
    fixed: list[Sleeper] = field(default_factory=list)


@dataclass
class RoomPlan:
    placed: dict[int, tuple[int, str]]  # person -> (room, reasons)
    unplaced: dict[int, str]  # person -> reason


def _gender_label(gender: str) -> str:
    return str(dict(ResidenceRoom.Gender.choices).get(gender, gender))


def _group_label(gender: str, adult: bool) -> str:
    if adult:
        return _("%(gender)s, adults") % {"gender": _gender_label(gender)}
    return _("%(gender)s, minors") % {"gender": _gender_label(gender)}


def plan_rooms(people: Sequence[Sleeper], rooms: Sequence[Bedroom], day: datetime.date) -> RoomPlan:
    """Place `people` in `rooms` (whose `fixed` occupants stay) by ROOM_RULE; deterministic."""
    placed: dict[int, tuple[int, str]] = {}
    unplaced: dict[int, str] = {}
    groups: dict[tuple[str, bool], list[Sleeper]] = {}
    for person in sorted(people, key=lambda p: p.key):
        if person.gender not in ResidenceRoom.Gender.values:
            unplaced[person.key] = _("No gender declared: staff place them by hand.")
        elif person.date_of_birth is None:
            unplaced[person.key] = _("No date of birth: a minor cannot be told from an adult.")
        else:
            adult = age_on(person.date_of_birth, day) >= ADULT_AGE
            groups.setdefault((person.gender, adult), []).append(person)
    members: dict[int, list[Sleeper]] = {}
    for (gender, adult), queue in sorted(groups.items()):
        queue.sort(key=lambda p: (p.date_of_birth, p.key))
        fitting = sorted(
            (r for r in rooms if r.gender == gender and r.adults_only == adult),
            key=lambda r: (r.name, r.key),
        )
        for room in fitting:
            inside = members.setdefault(room.key, list(room.fixed))
            window = max(2, room.beds)
            while queue and len(inside) < room.beds:
                countries = Counter(p.country for p in inside)
                pick = min(
                    range(min(window, len(queue))), key=lambda i: (countries[queue[i].country], i)
                )
                inside.append(queue.pop(pick))
        for person in queue:
            unplaced[person.key] = (
                _("No free bed left in a room for: %(group)s.")
                if fitting
                else _("There is no room for: %(group)s.")
            ) % {"group": _group_label(gender, adult)}
    for room in rooms:
        inside = members.get(room.key, [])
        fixed = {p.key for p in room.fixed}
        ages = [age_on(p.date_of_birth, day) for p in inside if p.date_of_birth]
        homes = {p.country for p in inside if p.country}
        for person in inside:
            if person.key in fixed or person.date_of_birth is None:
                continue
            reasons = [
                _group_label(room.gender, room.adults_only),
                _("age %(age)s on the first day (the room: %(low)s to %(high)s)")
                % {"age": age_on(person.date_of_birth, day), "low": min(ages), "high": max(ages)},
                ngettext(
                    "%(count)s home country in the room",
                    "%(count)s home countries in the room",
                    len(homes),
                )
                % {"count": len(homes)},
            ]
            placed[person.key] = (room.key, "; ".join(reasons))
    return RoomPlan(placed=placed, unplaced=unplaced)


def _sleeper(attendee: Attendee) -> Sleeper:
    return Sleeper(
        key=attendee.pk,
        gender=attendee.gender,
        date_of_birth=attendee.date_of_birth,
        country=home_country(attendee),
        label=attendee.name,
    )


def room_people(event: Event) -> QuerySet[Attendee]:
    return active_participants(event).select_related("community", "ticket")


@transaction.atomic
def assign_rooms(*, event: Event, by: Any) -> RoomPlan:
    """Place everyone of the summit not placed by staff, by ROOM_RULE (automatic placements are
    made again from scratch); returns the plan with who could not be placed and why."""
    require_verified_staff(by)
    _summit(event)
    Event.objects.select_for_update().get(pk=event.pk)
    RoomAssignment.objects.filter(room__event=event, by_hand=False).delete()
    # A cancelled or declined person gives their bed back, even one staff gave them.
    RoomAssignment.objects.filter(room__event=event).exclude(
        attendee__state__in=ACTIVE_STATES
    ).delete()
    people = list(room_people(event))
    fixed_rows = RoomAssignment.objects.filter(room__event=event).select_related("attendee")
    fixed: dict[int, list[Sleeper]] = {}
    for row in fixed_rows:
        fixed.setdefault(row.room_id, []).append(_sleeper(row.attendee))
    fixed_people = {p.key for ps in fixed.values() for p in ps}
    rooms = [
        Bedroom(r.pk, r.name, r.beds, r.gender, r.adults_only, fixed.get(r.pk, []))
        for r in event.summit_rooms.all()
    ]
    plan = plan_rooms(
        [_sleeper(a) for a in people if a.pk not in fixed_people], rooms, first_day(event)
    )
    RoomAssignment.objects.bulk_create(
        RoomAssignment(room_id=room, attendee_id=person, reasons=reasons)
        for person, (room, reasons) in plan.placed.items()
    )
    log_activity(
        event,
        "events.summit.rooms_assigned",
        by=by,
        data={"placed": len(plan.placed), "unplaced": len(plan.unplaced)},
    )
    return plan


def unplaced_in_rooms(event: Event) -> list[tuple[Attendee, str]]:
    """Who has no bed, each with the reason the rule gives (what `assign_rooms` would say)."""
    people = list(room_people(event).filter(summit_room__isnull=True))
    if not people:
        return []
    rooms = [
        Bedroom(
            room.pk,
            room.name,
            room.beds,
            room.gender,
            room.adults_only,
            [_sleeper(a.attendee) for a in room.assignments.all()],
        )
        for room in event.summit_rooms.prefetch_related("assignments__attendee__community")
    ]
    plan = plan_rooms([_sleeper(a) for a in people], rooms, first_day(event))
    return [(a, plan.unplaced.get(a.pk, _("Not placed yet: run the assignment."))) for a in people]


def room_problem(attendee: Attendee, room: ResidenceRoom, day: datetime.date) -> str:
    """Why `attendee` may not sleep in `room` (empty: they may)."""
    if attendee.date_of_birth is None:
        return _("This person has no date of birth: a minor cannot be told from an adult.")
    adult = age_on(attendee.date_of_birth, day) >= ADULT_AGE
    if adult and not room.adults_only:
        return _("An adult cannot sleep in a room for minors.")
    if not adult and room.adults_only:
        return _("A minor cannot sleep in a room for adults.")
    if attendee.gender != room.gender:
        return _("This room is for: %(gender)s.") % {"gender": room.get_gender_display()}
    taken = room.assignments.exclude(attendee=attendee).count()
    if taken >= room.beds:
        return _("This room has no free bed.")
    return ""


@transaction.atomic
def move_to_room(*, event: Event, attendee: Attendee, room: ResidenceRoom | None, by: Any) -> None:
    """Staff place a person in a room by hand (or take them out, `room` None). The hard rules
    still hold: gender, adults apart from minors, beds."""
    require_verified_staff(by)
    if not active_participants(event).filter(pk=attendee.pk).exists():
        raise NotAllowed("events.move_to_room")
    if room is None:
        RoomAssignment.objects.filter(attendee=attendee).delete()
        log_activity(attendee, "events.summit.room_cleared", by=by)
        return
    room = ResidenceRoom.objects.select_for_update().get(pk=room.pk, event=event)
    if problem := room_problem(attendee, room, first_day(event)):
        raise ValidationError({"room": problem})
    RoomAssignment.objects.update_or_create(
        attendee=attendee,
        defaults={
            "room": room,
            "by_hand": True,
            "reasons": _("Placed by staff (%(name)s).") % {"name": by.get_full_name() or by.email},
        },
    )
    log_activity(attendee, "events.summit.room_moved", by=by, data={"room": room.name})


@transaction.atomic
def add_room(
    *, event: Event, name: str, beds: int, gender: str, adults_only: bool, by: Any
) -> ResidenceRoom:
    require_verified_staff(by)
    _summit(event)
    room = ResidenceRoom(event=event, name=name, beds=beds, gender=gender, adults_only=adults_only)
    room.full_clean()
    room.save()
    log_activity(room, "events.summit.room_added", by=by, data={"name": name, "beds": beds})
    return room


# --- Teams ---------------------------------------------------------------------------------------

TEAM_RULE = (
    gettext_lazy("Every confirmed or approved student is in one team of each activity."),
    gettext_lazy(
        "Students are taken country by country (the largest first) and, within a country, "
        "community by community (the largest first)."
    ),
    gettext_lazy(
        "Each goes to the team with the fewest members, so sizes differ by one at most; among "
        "those, the team with the fewest from their community, then the fewest from their "
        "country: no team is one city's group unless the numbers leave no other way."
    ),
    gettext_lazy("Placements by staff are kept as they are."),
)


def team_rule() -> list[str]:
    return [str(line) for line in TEAM_RULE]


@dataclass(frozen=True)
class Player:
    key: int
    community: str
    country: str
    community_label: str = ""
    country_label: str = ""


@dataclass
class Squad:
    key: int
    name: str
    fixed: list[Player] = field(default_factory=list)


def plan_teams(people: Sequence[Player], teams: Sequence[Squad]) -> dict[int, tuple[int, str]]:
    """Place `people` in `teams` (whose `fixed` members stay) by TEAM_RULE; deterministic."""
    if not teams:
        return {}
    by_country = Counter(p.country for p in people)
    by_community = Counter(p.community for p in people)
    order = sorted(
        people,
        key=lambda p: (
            -by_country[p.country],
            p.country,
            -by_community[p.community],
            p.community,
            p.key,
        ),
    )
    members = {t.key: list(t.fixed) for t in teams}
    position = {t.key: i for i, t in enumerate(teams)}
    placed = {}
    for person in order:

        def score(team: Squad, person: Player = person) -> tuple[int, int, int, int]:
            inside = members[team.key]
            return (
                len(inside),
                sum(1 for p in inside if p.community == person.community),
                sum(1 for p in inside if p.country == person.country),
                position[team.key],
            )

        best = min(teams, key=score)
        size, same_community, same_country, _pos = score(best)
        reasons = [
            _("the team with the fewest members (%(count)s)") % {"count": size},
            _("%(count)s from %(community)s already")
            % {"count": same_community, "community": person.community_label or "—"},
            _("%(count)s from %(country)s already")
            % {"count": same_country, "country": person.country_label or "—"},
        ]
        members[best.key].append(person)
        placed[person.key] = (best.key, "; ".join(reasons))
    _mix_one_city_teams(teams, members, placed)
    return placed


def _one_city(people: list[Player]) -> bool:
    return len(people) >= 2 and len({p.community for p in people}) == 1


def _mix_one_city_teams(
    teams: Sequence[Squad], members: dict[int, list[Player]], placed: dict[int, tuple[int, str]]
) -> None:
    """Where the greedy pass left a team of one city's students, swap one of them with a
    student of another city from another team, if that leaves no team one city's group.
    Deterministic: teams and people are tried in their order."""
    fixed = {p.key for t in teams for p in t.fixed}
    for _round in range(len(placed) + 1):
        changed = False
        for team in teams:
            inside = members[team.key]
            if not _one_city(inside):
                continue
            for other in teams:
                if other.key == team.key or changed:
                    continue
                for mine in sorted(inside, key=lambda p: p.key):
                    if mine.key in fixed or changed:
                        continue
                    for theirs in sorted(members[other.key], key=lambda p: p.key):
                        if theirs.key in fixed or theirs.community == mine.community:
                            continue
                        after_mine = [p for p in inside if p is not mine] + [theirs]
                        after_theirs = [p for p in members[other.key] if p is not theirs] + [mine]
                        if _one_city(after_mine) or _one_city(after_theirs):
                            continue
                        members[team.key], members[other.key] = after_mine, after_theirs
                        reason = _("moved so that no team is one city's group")
                        placed[theirs.key] = (team.key, reason)
                        placed[mine.key] = (other.key, reason)
                        changed = True
                        break
        if not changed:
            return


def _player(attendee: Attendee) -> Player:
    community = attendee.community
    country = home_country(attendee)
    return Player(
        key=attendee.pk,
        community=str(attendee.community_id or ""),
        country=country,
        community_label=community.name if community else "",
        country_label=country,
    )


def team_students(event: Event) -> QuerySet[Attendee]:
    return active_participants(event).filter(student_condition()).select_related("community")


@transaction.atomic
def add_team(*, event: Event, kind: str, name: str, by: Any) -> Team:
    require_verified_staff(by)
    _summit(event)
    team = Team(event=event, kind=kind, name=name)
    team.full_clean()
    team.save()
    log_activity(team, "events.summit.team_added", by=by, data={"kind": kind, "name": name})
    return team


@transaction.atomic
def assign_teams(*, event: Event, kind: str, by: Any) -> int:
    """Place every student not placed by staff in a team of `kind` by TEAM_RULE (automatic
    placements are made again from scratch). Returns how many were placed."""
    require_verified_staff(by)
    _summit(event)
    Event.objects.select_for_update().get(pk=event.pk)
    teams = list(event.summit_teams.filter(kind=kind))
    if not teams:
        raise ValidationError(_("Add the teams of this activity first."))
    TeamMember.objects.filter(team__event=event, kind=kind, by_hand=False).delete()
    TeamMember.objects.filter(team__event=event, kind=kind).exclude(
        attendee__state__in=ACTIVE_STATES
    ).delete()
    fixed: dict[int, list[Player]] = {}
    for row in TeamMember.objects.filter(team__event=event, kind=kind).select_related(
        "attendee__community"
    ):
        fixed.setdefault(row.team_id, []).append(_player(row.attendee))
    fixed_people = {p.key for ps in fixed.values() for p in ps}
    people = [_player(a) for a in team_students(event) if a.pk not in fixed_people]
    plan = plan_teams(people, [Squad(t.pk, t.name, fixed.get(t.pk, [])) for t in teams])
    TeamMember.objects.bulk_create(
        TeamMember(team_id=team, kind=kind, attendee_id=person, reasons=reasons)
        for person, (team, reasons) in plan.items()
    )
    log_activity(
        event, "events.summit.teams_assigned", by=by, data={"kind": kind, "placed": len(plan)}
    )
    return len(plan)


@transaction.atomic
def move_to_team(*, event: Event, attendee: Attendee, team: Team, by: Any) -> TeamMember:
    """Staff move a student to another team of the same activity by hand."""
    require_verified_staff(by)
    if team.event_id != event.pk or not team_students(event).filter(pk=attendee.pk).exists():
        raise NotAllowed("events.move_to_team")
    member, _created = TeamMember.objects.update_or_create(
        attendee=attendee,
        kind=team.kind,
        defaults={
            "team": team,
            "by_hand": True,
            "reasons": _("Placed by staff (%(name)s).") % {"name": by.get_full_name() or by.email},
        },
    )
    log_activity(attendee, "events.summit.team_moved", by=by, data={"team": team.name})
    return member


# --- Retention (RELIABILITY P-10) ----------------------------------------------------------------


def retention_dates(event: Event) -> tuple[datetime.date, datetime.date]:
    """(restricted details deleted on, other personal data deleted on), counted from the
    summit's last day in its time zone."""
    end = last_day(event)
    return end + datetime.timedelta(days=RESTRICTED_RETENTION_DAYS), add_months(
        end, PERSONAL_RETENTION_MONTHS
    )


def _forget_restricted(event: Event) -> int:
    details = SummitDetails.objects.filter(attendee__in=summit_participants(event))
    ids = list(details.values_list("pk", flat=True))
    if ids:
        shred_audit_data(subjects=[(SummitDetails, ids)])
        SummitDetails.objects.filter(pk__in=ids).delete()
    return len(ids)


def _forget_personal(event: Event) -> int:
    people = list(
        summit_participants(event).exclude(first_name="", last_name="").values_list("pk", flat=True)
    )
    RoomAssignment.objects.filter(room__event=event).delete()
    TeamMember.objects.filter(team__event=event).delete()
    event.summit_chaperones.all().delete()
    if people:
        shred_audit_data(subjects=[(Attendee, people)])
        Answer.objects.filter(attendee_id__in=people).update(value="")
        Attendee.objects.filter(pk__in=people).update(
            first_name="",
            last_name="",
            email="",
            user=None,
            date_of_birth=None,
            gender="",
            community=None,
            country=None,
            organisation="",
            details_token_hash=None,
        )
    return len(people)


def apply_summit_retention(*, today: datetime.date | None = None) -> dict[str, int]:
    """The nightly job: for each summit, restricted details go on the 60th day after it ends,
    the rest of its participants' personal data 24 months after (names, dates of birth,
    contacts, rooms, teams, chaperones; the orders and invoices stay, without the names)."""
    result = {"restricted_deleted": 0, "people_anonymised": 0}
    for event in Event.objects.filter(kind=Event.Kind.SUMMIT):
        day = today or timezone.now().astimezone(event.zone).date()
        restricted_on, personal_on = retention_dates(event)
        with transaction.atomic():
            if day >= restricted_on and (count := _forget_restricted(event)):
                result["restricted_deleted"] += count
                log_activity(event, "events.summit.retention_restricted", data={"deleted": count})
            if day >= personal_on and (count := _forget_personal(event)):
                result["people_anonymised"] += count
                log_activity(event, "events.summit.retention_personal", data={"anonymised": count})
    return result


def summit_events() -> Iterable[Event]:
    return Event.objects.filter(kind=Event.Kind.SUMMIT)
