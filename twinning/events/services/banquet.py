"""The awards banquet's writes: tables, automatic seating, moving and swapping guests by hand,
honorees, the run of show. Every service is for verified staff (or SYSTEM), runs in one
transaction and writes one audit entry.

Automatic seating (`plan_seating`, pure and deterministic; `seat_guests` stores its plan):

1. Guests form parties: the people of one committee (the order's member) sit together, and
   so do the people of one order (a delegation, or a couple registered together).
2. Parties with an honoree (a guest named by an honour, a guest registered as honoree, or
   the people of a committee an honour names) go first, in presentation order, at the free
   table nearest the stage (lowest distance, then lowest number); then the others, largest
   first (so the big delegations find whole tables), ties by name and id.
3. A party sits whole at the first table (in stage order) with room for all of it; a party
   that has a guest already seated by hand prefers that table.
4. A party no table has room for is split over neighbouring tables (consecutive numbers),
   the shortest run of tables that holds it; its reason says why. Whoever finds no seat at
   all is left unseated, with the reason too.
5. No table is filled beyond its seats; seats are numbered from 1, filled in order.

Each placement carries its reason, stored on the seat and shown on the staff page.

The awards program (an app beside events) adds its winners with `add_honoree(event=...,
name=..., honour=..., member=..., attendee=..., source="awards", reference=<its key>, by=...)`;
calling it again with the same source and reference returns the existing honoree."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twinning.core.authz import acting_user, require_verified_staff
from twinning.core.services import log_activity
from twinning.events.models import (
    Attendee,
    BanquetTable,
    Event,
    Honoree,
    RunOfShowItem,
    SeatAssignment,
    guests_of,
)
from twinning.network.models import Member

# --- The plan (pure: plain data in, plain data out) -----------------------------------------


@dataclass(frozen=True)
class TableSpec:
    id: int
    number: int
    seats: int
    stage_rank: int
    label: str
    taken: frozenset[int] = frozenset()  # seats already held (by hand)

    @property
    def stage_key(self) -> tuple[int, int]:
        return (self.stage_rank, self.number)


@dataclass(frozen=True)
class GuestSpec:
    id: int
    name: str  # "Last, First", for the order within a party
    party: str  # the party key: "member:<id>" or "order:<id>"
    party_name: str
    honour_position: int | None = None  # set for an honoree (presentation order)
    fixed_table: int | None = None  # the table a party-mate was placed at by hand


@dataclass(frozen=True)
class Placement:
    guest: int
    table: int | None  # None: no seat left
    seat: int | None
    reason: str


@dataclass
class _Table:
    spec: TableSpec
    free: list[int] = field(default_factory=list)


def _tables(tables: Iterable[TableSpec]) -> list[_Table]:
    ordered = sorted(tables, key=lambda t: t.stage_key)
    return [_Table(t, [s for s in range(1, t.seats + 1) if s not in t.taken]) for t in ordered]


def _parties(guests: Iterable[GuestSpec]) -> list[list[GuestSpec]]:
    by_party: dict[str, list[GuestSpec]] = {}
    for guest in guests:
        by_party.setdefault(guest.party, []).append(guest)
    parties = []
    for members in by_party.values():
        # Honorees first (they sit at the stage end of a split party), then by name.
        members.sort(
            key=lambda g: (g.honour_position is None, g.honour_position or 0, g.name, g.id)
        )
        parties.append(members)

    def order(party: list[GuestSpec]) -> tuple[Any, ...]:
        honours = [g.honour_position for g in party if g.honour_position is not None]
        first_honour = min(honours) if honours else None
        return (
            first_honour is None,
            first_honour or 0,
            -len(party),
            party[0].party_name,
            party[0].party,
        )

    return sorted(parties, key=order)


def _split_run(tables: list[_Table], size: int) -> list[_Table]:
    """The shortest run of neighbouring tables (consecutive numbers, each with a free seat)
    holding `size` people, nearest the stage first; else every table with a free seat."""
    by_number = sorted((t for t in tables if t.free), key=lambda t: t.spec.number)
    best: list[_Table] | None = None
    best_key: tuple[int, ...] | None = None
    for start in range(len(by_number)):
        run = [by_number[start]]
        room = len(run[0].free)
        index = start
        while room < size and index + 1 < len(by_number):
            if by_number[index + 1].spec.number != by_number[index].spec.number + 1:
                break
            index += 1
            run.append(by_number[index])
            room += len(by_number[index].free)
        if room >= size:
            key = (len(run), min(t.spec.stage_rank for t in run), run[0].spec.number)
            if best_key is None or key < best_key:
                best, best_key = run, key
    if best is not None:
        return best
    return sorted((t for t in tables if t.free), key=lambda t: t.spec.stage_key)


def _reason_whole(party: list[GuestSpec], preferred: bool) -> str:
    size = len(party)
    if any(g.honour_position is not None for g in party):
        if size == 1:
            return _("Honoree: at the free table nearest the stage.")
        return ngettext(
            "Honoree with their party (%(party)s, %(count)d person): at the free table "
            "nearest the stage.",
            "Honoree with their party (%(party)s, %(count)d people): at the free table "
            "nearest the stage.",
            size,
        ) % {"party": party[0].party_name, "count": size}
    if preferred:
        return _("With the rest of their party (%(party)s), whom staff seated here.") % {
            "party": party[0].party_name
        }
    if size == 1:
        return _("Single guest: the first free seat.")
    return ngettext(
        "Party seated together (%(party)s, %(count)d person).",
        "Party seated together (%(party)s, %(count)d people).",
        size,
    ) % {"party": party[0].party_name, "count": size}


def _reason_split(party: list[GuestSpec], run: list[_Table], largest: int) -> str:
    labels = ", ".join(str(t.spec.number) for t in run)
    values = {"party": party[0].party_name, "count": len(party), "tables": labels}
    if len(party) > largest:
        return _(
            "Party of %(count)d (%(party)s) is larger than any table (%(largest)d seats): "
            "split over neighbouring tables %(tables)s."
        ) % {**values, "largest": largest}
    return (
        _(
            "No table had %(count)d free seats left for this party (%(party)s): split over "
            "neighbouring tables %(tables)s."
        )
        % values
    )


def plan_seating(*, tables: Sequence[TableSpec], guests: Sequence[GuestSpec]) -> list[Placement]:
    """Where each guest sits and why (see the module's rules). Deterministic: the same input
    gives the same plan whatever its order."""
    state = _tables(tables)
    largest = max((t.spec.seats for t in state), default=0)
    placements: list[Placement] = []
    for party in _parties(guests):
        size = len(party)
        preferred = {g.fixed_table for g in party if g.fixed_table is not None}
        candidates = [t for t in state if t.spec.id in preferred] + [
            t for t in state if t.spec.id not in preferred
        ]
        whole = next((t for t in candidates if len(t.free) >= size), None)
        if whole is not None:
            reason = _reason_whole(party, whole.spec.id in preferred)
            placements += [Placement(g.id, whole.spec.id, whole.free.pop(0), reason) for g in party]
            continue
        run = _split_run(state, size)
        reason = _reason_split(party, run, largest)
        waiting = list(party)
        for table in run:
            while table.free and waiting:
                placements.append(
                    Placement(waiting.pop(0).id, table.spec.id, table.free.pop(0), reason)
                )
        unseated = _("No seat left: add a table or seats.")
        placements += [Placement(g.id, None, None, unseated) for g in waiting]
    return placements


# --- Reading the banquet into the plan's terms ----------------------------------------------


def _party_of(attendee: Attendee) -> tuple[str, str]:
    order = attendee.order
    if order.member is not None:
        return f"member:{order.member_id}", order.member.name
    name = attendee.organisation or attendee.name
    return f"order:{order.pk}", name


def _banquet(event: Event) -> None:
    if event.kind != Event.Kind.BANQUET:
        raise ValidationError(_("Seating is for an awards banquet."))


def _guest(event: Event, attendee: Attendee) -> None:
    if not guests_of(event).filter(pk=attendee.pk).exists():
        raise ValidationError(
            {"attendee": _("%(name)s is not a guest of this banquet.") % {"name": attendee.name}}
        )


# --- Tables ---------------------------------------------------------------------------------


@transaction.atomic
def add_tables(
    *, event: Event, count: int, seats: int, stage_rank: int = 1, by: Any
) -> list[BanquetTable]:
    """Add `count` tables of `seats` seats, numbered after the last one."""
    require_verified_staff(by)
    _banquet(event)
    if not 1 <= count <= 100:
        raise ValidationError({"count": _("Add between 1 and 100 tables at a time.")})
    last = event.banquet_tables.aggregate(last=Max("number"))["last"] or 0
    added = []
    for offset in range(1, count + 1):
        table = BanquetTable(event=event, number=last + offset, seats=seats, stage_rank=stage_rank)
        table.full_clean()
        table.save()
        added.append(table)
    log_activity(
        event,
        "banquet.tables_added",
        by=by,
        data={"numbers": [t.number for t in added], "seats": seats, "stage_rank": stage_rank},
    )
    return added


@transaction.atomic
def update_table(
    *, table: BanquetTable, by: Any, seats: int, stage_rank: int, name: str = ""
) -> BanquetTable:
    """Change a table's seats, distance from the stage or name; never below its guests."""
    require_verified_staff(by)
    table = BanquetTable.objects.select_for_update().get(pk=table.pk)
    highest = table.assignments.aggregate(highest=Max("seat"))["highest"] or 0
    if seats < highest:
        raise ValidationError(
            {
                "seats": _(
                    "Seat %(seat)d at this table is taken: move that guest before removing seats."
                )
                % {"seat": highest}
            }
        )
    table.seats, table.stage_rank, table.name = seats, stage_rank, name
    table.full_clean()
    table.save()
    log_activity(
        table, "banquet.table_changed", by=by, data={"seats": seats, "stage_rank": stage_rank}
    )
    return table


@transaction.atomic
def remove_table(*, table: BanquetTable, by: Any) -> None:
    """Remove an empty table (a table with guests is refused: move them first)."""
    require_verified_staff(by)
    if table.assignments.exists():
        raise ValidationError(
            _("%(table)s still has guests: move them before removing it.") % {"table": table.label}
        )
    log_activity(table.event, "banquet.table_removed", by=by, data={"number": table.number})
    table.delete()


# --- Automatic seating ----------------------------------------------------------------------


@transaction.atomic
def seat_guests(*, event: Event, by: Any) -> list[Placement]:
    """Seat every guest by the rules above. Seats staff gave by hand are kept; every other
    seat is planned again. Returns the plan (with the unseated, if any)."""
    require_verified_staff(by)
    _banquet(event)
    tables = list(BanquetTable.objects.select_for_update().filter(event=event))
    # Automatic seats are planned again; a guest who left (cancelled) loses even a seat by hand.
    event.seat_assignments.filter(by_hand=False).delete()
    event.seat_assignments.exclude(attendee__in=guests_of(event)).delete()
    kept = list(
        event.seat_assignments.filter(by_hand=True).values_list("attendee_id", "table_id", "seat")
    )
    held: dict[int, set[int]] = {}
    for _attendee, table_id, seat in kept:
        held.setdefault(table_id, set()).add(seat)
    seated = {attendee_id for attendee_id, _t, _s in kept}
    guests = list(guests_of(event).select_related("order", "order__member"))
    # An honour names a guest, or a committee (whose party then sits at the stage).
    honours: dict[int, int] = {}
    member_honours: dict[int, int] = {}
    for attendee_id, member_id, position in event.honorees.values_list(
        "attendee_id", "member_id", "position"
    ):
        if attendee_id is not None:
            honours[attendee_id] = min(position, honours.get(attendee_id, position))
        elif member_id is not None:
            member_honours[member_id] = min(position, member_honours.get(member_id, position))
    party_tables: dict[str, int] = {}
    specs = []
    for attendee in guests:
        party, party_name = _party_of(attendee)
        if attendee.pk in seated:
            party_tables.setdefault(party, next(t for a, t, _s in kept if a == attendee.pk))
            continue
        honour = honours.get(attendee.pk)
        if honour is None and attendee.order.member_id in member_honours:
            honour = member_honours[attendee.order.member_id]
        if honour is None and attendee.role == Attendee.Role.HONOREE:
            honour = 10_000  # marked at registration but not yet in the order of honours
        specs.append(
            GuestSpec(
                id=attendee.pk,
                name=f"{attendee.last_name}, {attendee.first_name}",
                party=party,
                party_name=party_name,
                honour_position=honour,
            )
        )
    specs = [replace(spec, fixed_table=party_tables.get(spec.party)) for spec in specs]
    table_specs = [
        TableSpec(
            t.pk, t.number, t.seats, t.stage_rank, str(t.label), frozenset(held.get(t.pk, ()))
        )
        for t in tables
    ]
    plan = plan_seating(tables=table_specs, guests=specs)
    rows = [
        SeatAssignment(
            event=event, table_id=p.table, seat=p.seat, attendee_id=p.guest, reason=p.reason
        )
        for p in plan
        if p.table is not None and p.seat is not None
    ]
    SeatAssignment.objects.bulk_create(rows)
    log_activity(
        event,
        "banquet.seated",
        by=by,
        data={
            "seated": len(rows),
            "kept_by_hand": len(kept),
            "unseated": sum(1 for p in plan if p.table is None),
        },
    )
    return plan


# --- Moving guests by hand ------------------------------------------------------------------


def _conflict() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this seating at the same moment. Nothing was moved: look "
            "again and retry."
        )
    )


@transaction.atomic
def move_guest(
    *, event: Event, attendee: Attendee, table: BanquetTable, seat: int | None = None, by: Any
) -> SeatAssignment:
    """Put a guest at a table: at `seat`, or the first free one. A full table or a taken seat
    is refused with a message saying so (swap the two guests instead)."""
    require_verified_staff(by)
    _banquet(event)
    if table.event_id != event.pk:
        raise ValidationError({"table": _("That table belongs to another banquet.")})
    _guest(event, attendee)
    # Moves to one table wait for each other (PostgreSQL); the unique constraints hold the rest.
    table = BanquetTable.objects.select_for_update().get(pk=table.pk)
    current = SeatAssignment.objects.filter(event=event, attendee=attendee).first()
    taken = dict(table.assignments.exclude(attendee=attendee).values_list("seat", "attendee_id"))
    if seat is None:
        if current is not None and current.table_id == table.pk:
            return current
        free = [s for s in range(1, table.seats + 1) if s not in taken]
        if not free:
            raise ValidationError(
                {
                    "table": _(
                        "%(table)s is full (%(seats)d of %(seats)d seats taken). Choose another "
                        "table, or swap %(name)s with someone seated there."
                    )
                    % {"table": table.label, "seats": table.seats, "name": attendee.name}
                }
            )
        seat = free[0]
    elif not 1 <= seat <= table.seats:
        raise ValidationError(
            {
                "seat": _("%(table)s has seats 1 to %(seats)d.")
                % {"table": table.label, "seats": table.seats}
            }
        )
    elif seat in taken:
        other = Attendee.objects.get(pk=taken[seat])
        raise ValidationError(
            {
                "seat": _(
                    "Seat %(seat)d at %(table)s is taken by %(other)s. Choose a free seat, or "
                    "swap the two guests."
                )
                % {"seat": seat, "table": table.label, "other": other.name}
            }
        )
    before = (current.table.number, current.seat) if current else None
    try:
        with transaction.atomic():
            if current is not None:
                current.delete()
            assignment = SeatAssignment(
                event=event,
                table=table,
                seat=seat,
                attendee=attendee,
                reason=_("Placed here by staff."),
                by_hand=True,
                assigned_by=acting_user(by),
            )
            assignment.full_clean(validate_constraints=False)
            assignment.save()
    except IntegrityError as error:
        raise _conflict() from error
    log_activity(
        assignment,
        "banquet.guest_moved",
        by=by,
        data={"attendee": attendee.pk, "from": before, "to": (table.number, seat)},
    )
    return assignment


@transaction.atomic
def swap_guests(*, event: Event, first: Attendee, second: Attendee, by: Any) -> None:
    """Exchange the seats of two guests (either may be unseated: the other then leaves)."""
    require_verified_staff(by)
    _banquet(event)
    if first.pk == second.pk:
        raise ValidationError({"second": _("Choose two different guests to swap.")})
    _guest(event, first)
    _guest(event, second)
    seats = {
        s.attendee_id: s
        for s in SeatAssignment.objects.select_for_update()
        .select_related("table")
        .filter(event=event, attendee__in=[first, second])
    }
    if not seats:
        raise ValidationError(_("Neither guest has a seat yet: move one of them first."))
    one, two = seats.get(first.pk), seats.get(second.pk)
    places = {
        first.pk: (two.table, two.seat) if two else None,
        second.pk: (one.table, one.seat) if one else None,
    }
    try:
        with transaction.atomic():
            SeatAssignment.objects.filter(pk__in=[s.pk for s in seats.values()]).delete()
            for attendee, place in ((first, places[first.pk]), (second, places[second.pk])):
                if place is None:
                    continue
                SeatAssignment.objects.create(
                    event=event,
                    table=place[0],
                    seat=place[1],
                    attendee=attendee,
                    reason=_("Swapped here by staff."),
                    by_hand=True,
                    assigned_by=acting_user(by),
                )
    except IntegrityError as error:
        raise _conflict() from error
    log_activity(
        event,
        "banquet.guests_swapped",
        by=by,
        data={"first": first.pk, "second": second.pk},
    )


@transaction.atomic
def unseat_guest(*, event: Event, attendee: Attendee, by: Any) -> None:
    """Take a guest's seat away (the guest stays registered)."""
    require_verified_staff(by)
    assignment = SeatAssignment.objects.filter(event=event, attendee=attendee).first()
    if assignment is None:
        raise ValidationError(_("%(name)s has no seat.") % {"name": attendee.name})
    log_activity(
        event,
        "banquet.guest_unseated",
        by=by,
        data={"attendee": attendee.pk, "table": assignment.table.number, "seat": assignment.seat},
    )
    assignment.delete()


# --- Honorees -------------------------------------------------------------------------------


@transaction.atomic
def add_honoree(
    *,
    event: Event,
    name: str,
    honour: str,
    by: Any,
    attendee: Attendee | None = None,
    member: Member | None = None,
    source: str = "staff",
    reference: str = "",
) -> Honoree:
    """Add an honoree at the end of the presentation order. With a `reference` (the awards
    program's own key), adding the same honour again returns the honoree already there."""
    require_verified_staff(by)
    _banquet(event)
    if reference:
        existing = Honoree.objects.filter(event=event, source=source, reference=reference).first()
        if existing is not None:
            return existing
    if attendee is not None:
        _guest(event, attendee)
    last = event.honorees.aggregate(last=Max("position"))["last"]
    honoree = Honoree(
        event=event,
        name=name.strip() or (attendee.name if attendee else ""),
        honour=honour.strip(),
        attendee=attendee,
        member=member,
        position=0 if last is None else last + 1,
        source=source,
        reference=reference,
    )
    honoree.full_clean()
    honoree.save()
    log_activity(
        honoree, "banquet.honoree_added", by=by, data={"honour": honoree.honour, "source": source}
    )
    return honoree


@transaction.atomic
def remove_honoree(*, honoree: Honoree, by: Any) -> None:
    """Remove an honoree (an award presentation naming them is removed from the run of show too)."""
    require_verified_staff(by)
    log_activity(
        honoree.event,
        "banquet.honoree_removed",
        by=by,
        data={"name": honoree.name, "honour": honoree.honour},
    )
    honoree.presentations.all().delete()
    honoree.delete()


def _move(rows: list[Any], row: Any, direction: str) -> bool:
    """Move `row` one place up or down among `rows` (renumbered 0, 1, ...); False at an end."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move up or down.")})
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])
    return True


@transaction.atomic
def move_honoree(*, honoree: Honoree, direction: str, by: Any) -> bool:
    """Move an honoree one place earlier ("up") or later ("down") in the presentation order."""
    require_verified_staff(by)
    rows = list(Honoree.objects.select_for_update().filter(event_id=honoree.event_id))
    moved = _move(rows, honoree, direction)
    if moved:
        log_activity(honoree, "banquet.honoree_moved", by=by, data={"direction": direction})
    return moved


# --- The run of show ------------------------------------------------------------------------


@transaction.atomic
def add_run_of_show_item(
    *,
    event: Event,
    title: str,
    kind: str,
    by: Any,
    starts_at: Any = None,
    honoree: Honoree | None = None,
    notes: str = "",
) -> RunOfShowItem:
    """Add a moment at the end of the run of show (an award presentation names its honoree)."""
    require_verified_staff(by)
    _banquet(event)
    last = event.run_of_show.aggregate(last=Max("position"))["last"]
    item = RunOfShowItem(
        event=event,
        title=title.strip() or (honoree.honour if honoree else ""),
        kind=kind,
        starts_at=starts_at,
        honoree=honoree,
        notes=notes,
        position=0 if last is None else last + 1,
    )
    item.full_clean()
    item.save()
    log_activity(item, "banquet.run_of_show_added", by=by, data={"title": item.title, "kind": kind})
    return item


@transaction.atomic
def add_presentations(*, event: Event, by: Any) -> list[RunOfShowItem]:
    """An award presentation for each honoree who has none yet, in presentation order."""
    require_verified_staff(by)
    _banquet(event)
    waiting = event.honorees.filter(presentations__isnull=True).order_by("position", "pk")
    return [
        add_run_of_show_item(
            event=event,
            title=_("%(honour)s: %(name)s") % {"honour": honoree.honour, "name": honoree.name},
            kind=RunOfShowItem.Kind.AWARD,
            honoree=honoree,
            by=by,
        )
        for honoree in waiting
    ]


@transaction.atomic
def remove_run_of_show_item(*, item: RunOfShowItem, by: Any) -> None:
    require_verified_staff(by)
    log_activity(item.event, "banquet.run_of_show_removed", by=by, data={"title": item.title})
    item.delete()


@transaction.atomic
def move_run_of_show_item(*, item: RunOfShowItem, direction: str, by: Any) -> bool:
    """Move a moment one place earlier ("up") or later ("down")."""
    require_verified_staff(by)
    rows = list(RunOfShowItem.objects.select_for_update().filter(event_id=item.event_id))
    moved = _move(rows, item, direction)
    if moved:
        log_activity(item, "banquet.run_of_show_moved", by=by, data={"direction": direction})
    return moved
