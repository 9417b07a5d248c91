"""Check-in at the door: a scanned or typed code checks one confirmed attendee in (the first
scan wins, whatever the concurrency), and the offline list's scans are merged back (earliest
time wins, every row of the file accounted for).

Who may check people in: verified staff and the event's organisers (its named organisers and,
for a regional conference, the region's coordinators); staff must have verified their second
factor even when they are also named organisers."""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, is_verified_staff
from twinning.core.services import log_activity
from twinning.events.models import Attendee, CheckIn, Event, Order

# Check-in codes use "23456789ABCDEFGHJKMNPQRSTUVWXYZ" (models.registration.new_code): no 0/O
# and no 1/I/L, so no look-alike pair exists to guess between. What a person may type besides
# the code itself (lower case, spaces and dashes between groups, full-width characters of a
# phone keyboard) is tolerated; a look-alike the alphabet leaves out gets its own hint.
CODE_ALPHABET = frozenset("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
LEFT_OUT = frozenset("01OIL")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_ROWS = 20_000
# A scan may come from a phone whose clock runs a little fast, never from tomorrow.
CLOCK_SLACK = datetime.timedelta(minutes=10)


def normalise_code(raw: str) -> str:
    """The code as stored: NFKC (full-width digits), upper case, without spaces, dashes or
    dots a person or a scanner may add."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return "".join(ch for ch in text if ch not in " \t\r\n-_.·")[:40]


def can_check_in(user: Any, event: Event) -> bool:
    """Verified staff, or one of the event's organisers (not staff without their second
    factor: staff always sign in with it)."""
    if user is SYSTEM:
        return True
    if is_verified_staff(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_staff:
        return False
    return Event.objects.organised_by(user).filter(pk=event.pk).exists()


def _require_check_in(by: Any, event: Event) -> None:
    if not can_check_in(by, event):
        raise NotAllowed("events.check_in")


def shared_registration(event: Event) -> Q:
    """Attendees of the events that share `event`'s registration and badge: the top event and
    its parts (the annual conference, its summit and its banquet), as one condition."""
    # As a list of events rather than "the event or its parent": the attendees' index on
    # (event, state) is used, not a scan of every attendee in a state (bench/events.py).
    return Q(event_id__in=registration_events(event))


def registration_events(event: Event) -> QuerySet[Event, Any]:
    """The pks of the top event and its parts, which share one registration."""
    root = event.registration_event
    return Event.objects.filter(Q(pk=root.pk) | Q(parent_id=root.pk)).values("pk")


def checkin_attendees(event: Event) -> QuerySet[Attendee]:
    """The attendees who may be checked in at `event`: those of the registration it shares
    (a conference's guests at its banquet, a summit student at the conference)."""
    return Attendee.objects.filter(shared_registration(event))


def expected_attendees(event: Event) -> QuerySet[Attendee]:
    """The confirmed attendees on confirmed orders. The orders are excluded by the few that
    are not confirmed rather than joined row by row: the door's counts after each scan are
    then read from one index (bench/events.py, 10,000 registrations)."""
    registration = checkin_attendees(event).filter(state=Attendee.State.CONFIRMED)
    unconfirmed = Order.objects.filter(event_id__in=registration_events(event)).exclude(
        state=Order.State.CONFIRMED
    )
    return registration.exclude(order_id__in=unconfirmed.values("pk"))


def checkin_counts(event: Event) -> tuple[int, int]:
    """(checked in, expected) over the confirmed attendees, in one query."""
    from django.db.models import Count

    counts = expected_attendees(event).aggregate(
        expected=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    return counts["checked_in"], counts["expected"]


@dataclass
class CheckInResult:
    """The answer to one scan. `status`: "checked_in" (green), "already" (amber), "unknown",
    "cancelled" or "not_confirmed" (red)."""

    status: str
    code: str
    attendee: Attendee | None = None
    at: datetime.datetime | None = None
    by_name: str = ""
    message: str = ""

    @property
    def colour(self) -> str:
        return {"checked_in": "ok", "already": "warn"}.get(self.status, "danger")


def _by_name(attendee: Attendee) -> str:
    user = attendee.checked_in_by
    if user is None:
        return _("the offline list")
    return user.get_full_name() or user.email


def _refusal(attendee: Attendee | None, code: str) -> CheckInResult | None:
    if attendee is None:
        if not code:
            return CheckInResult("unknown", code, message=_("Scan or type a check-in code."))
        message = _("No attendee of this event has the code %(code)s.") % {"code": code}
        if set(code) & LEFT_OUT:
            message += " " + _("Codes never contain 0, O, 1, I or L: check the letters.")
        return CheckInResult("unknown", code, message=message)
    if attendee.state in (Attendee.State.CANCELLED, Attendee.State.DECLINED) or (
        attendee.order.state == Order.State.CANCELLED
    ):
        return CheckInResult(
            "cancelled",
            code,
            attendee,
            message=_("%(name)s's registration is cancelled: no entry.") % {"name": attendee.name},
        )
    if attendee.state != Attendee.State.CONFIRMED or attendee.order.state != Order.State.CONFIRMED:
        return CheckInResult(
            "not_confirmed",
            code,
            attendee,
            message=_("%(name)s's registration is not confirmed yet (%(state)s).")
            % {"name": attendee.name, "state": attendee.get_state_display()},
        )
    return None


def _lookup(event: Event, code: str) -> Attendee | None:
    return (
        checkin_attendees(event)
        .select_related("order", "ticket", "checked_in_by")
        .filter(code=code)
        .first()
    )


@transaction.atomic
def check_in_attendee(
    *, event: Event, code: str, by: Any, device: str = "", at: datetime.datetime | None = None
) -> CheckInResult:
    """Check the attendee with this code in at `event` (verified staff or its organisers).

    The first scan wins: the attendee row is updated only while it has no check-in time (one
    conditional UPDATE, atomic on PostgreSQL and SQLite alike), so of twenty scans at once one
    checks in and nineteen answer "already". A successful check-in writes a CheckIn row and
    one audit entry; any other answer changes nothing. Raises NotAllowed for other actors."""
    _require_check_in(by, event)
    code = normalise_code(code)
    attendee = _lookup(event, code) if code else None
    refusal = _refusal(attendee, code)
    if refusal is not None:
        return refusal
    assert attendee is not None  # noqa: S101 (narrowed by _refusal)
    at = at or timezone.now()
    won = Attendee.objects.filter(pk=attendee.pk, checked_in_at__isnull=True).update(
        checked_in_at=at, checked_in_by=acting_user(by), updated_at=timezone.now()
    )
    if not won:
        attendee = Attendee.objects.select_related("order", "ticket", "checked_in_by").get(
            pk=attendee.pk
        )
        return CheckInResult(
            "already", code, attendee, at=attendee.checked_in_at, by_name=_by_name(attendee)
        )
    check_in = CheckIn(
        attendee=attendee,
        at=at,
        by=acting_user(by),
        source=CheckIn.Source.ONLINE,
        device=device[:100],
    )
    check_in.full_clean()
    check_in.save()
    log_activity(attendee, "events.attendee.checked_in", by=by, data={"event": event.slug})
    attendee.checked_in_at, attendee.checked_in_by = at, acting_user(by)
    return CheckInResult("checked_in", code, attendee, at=at)


# --- The offline list, merged back ----------------------------------------------------------


@dataclass
class MergeRow:
    line: int
    code: str
    at: datetime.datetime | None
    outcome: str  # checked_in, moved_earlier, already, duplicate, skipped, or refused
    message: str
    attendee: Attendee | None = None

    @property
    def label(self) -> str:
        return {
            "checked_in": _("Checked in"),
            "moved_earlier": _("Earlier time kept"),
            "already": _("Already checked in"),
            "duplicate": _("Duplicate"),
            "skipped": _("Skipped"),
        }.get(self.outcome, _("Refused"))


@dataclass
class MergeReport:
    rows: list[MergeRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def checked_in(self) -> int:
        return self.count("checked_in") + self.count("moved_earlier")

    @property
    def refused(self) -> int:
        return self.count("refused")


def _header(names: list[str]) -> tuple[int, int, int | None]:
    """Column indexes of the code, the time and (optionally) the device."""
    lowered = [name.strip().lstrip("\ufeff").lower() for name in names]
    if "code" not in lowered:
        raise ValidationError(
            {"file": _("The file has no column named “code”: upload the list's CSV or the scans.")}
        )
    for name in ("scanned_at", "checked_in_at"):
        if name in lowered:
            time_column = lowered.index(name)
            break
    else:
        raise ValidationError(
            {"file": _("The file has no column named “scanned_at” or “checked_in_at”.")}
        )
    device = lowered.index("device") if "device" in lowered else None
    return lowered.index("code"), time_column, device


def _parse_time(value: str, event: Event) -> datetime.datetime:
    """An ISO 8601 time; without an offset it is the event's local time."""
    moment = datetime.datetime.fromisoformat(value.strip())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=event.zone)
    return moment


def read_scans(data: bytes) -> list[list[str]]:
    """The CSV's rows (header first), or a ValidationError keyed to `file`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 2 MB: upload the scans only.")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"file": _("The file is not UTF-8 text: export it as CSV (UTF-8) and try again.")}
        ) from error
    if "\x00" in text:
        raise ValidationError({"file": _("The file is not a CSV file.")})
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ValidationError({"file": _("The file is not a readable CSV file.")}) from error
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    if len(rows) > MAX_UPLOAD_ROWS + 1:
        raise ValidationError(
            {"file": _("The file has more than %(n)s rows.") % {"n": MAX_UPLOAD_ROWS}}
        )
    return rows


def _local(moment: datetime.datetime, event: Event) -> str:
    return moment.astimezone(event.zone).strftime("%Y-%m-%d %H:%M")


def _candidates(
    rows: list[list[str]], event: Event, report: MergeReport
) -> dict[str, tuple[MergeRow, str]]:
    """Rows parsed and checked on their own; per code the earliest scan (the others reported
    as duplicates of it). Returns {code: (row, device)}."""
    code_at, time_at, device_at = _header(rows[0])
    latest = timezone.now() + CLOCK_SLACK
    valid: list[tuple[MergeRow, str]] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            report.rows.append(MergeRow(line, "", None, "skipped", _("Empty row.")))
            continue
        code = normalise_code(cells[code_at] if code_at < len(cells) else "")
        raw_time = (cells[time_at] if time_at < len(cells) else "").strip()
        device = (
            cells[device_at].strip() if device_at is not None and device_at < len(cells) else ""
        )
        row = MergeRow(line, code, None, "refused", "")
        report.rows.append(row)
        if not code:
            row.message = _("No code in this row.")
            continue
        if not raw_time:
            row.outcome, row.message = "skipped", _("Not scanned (no time): nothing to merge.")
            continue
        try:
            row.at = _parse_time(raw_time, event)
        except (ValueError, OverflowError):
            row.message = _("“%(value)s” is not a time (expected e.g. 2026-05-04T09:30).") % {
                "value": raw_time[:40]
            }
            continue
        if row.at > latest:
            row.message = _("The time %(time)s is in the future: check the phone's clock.") % {
                "time": _local(row.at, event)
            }
            continue
        row.outcome = "pending"
        valid.append((row, device))
    best: dict[str, tuple[MergeRow, str]] = {}
    for row, device in sorted(valid, key=lambda pair: (pair[0].at, pair[0].line)):
        kept = best.setdefault(row.code, (row, device))[0]
        if kept is not row:
            row.outcome = "duplicate"
            row.message = _("The same code is scanned earlier on line %(line)s (%(time)s).") % {
                "line": kept.line,
                "time": _local(kept.at, event),  # type: ignore[arg-type]
            }
    return best


def _merge_one(
    row: MergeRow, device: str, attendee: Attendee | None, event: Event, by: Any
) -> None:
    refusal = _refusal(attendee, row.code)
    row.attendee = attendee
    if refusal is not None:
        row.outcome, row.message = "refused", refusal.message
        return
    assert attendee is not None and row.at is not None  # noqa: S101 (narrowed above)
    before = attendee.checked_in_at
    # Earliest wins, against an online scan made meanwhile too: one conditional UPDATE.
    moved = Attendee.objects.filter(
        Q(checked_in_at__isnull=True) | Q(checked_in_at__gt=row.at), pk=attendee.pk
    ).update(checked_in_at=row.at, checked_in_by=acting_user(by), updated_at=timezone.now())
    if not moved:
        attendee.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
        row.outcome = "already"
        row.message = _("Already checked in at %(time)s by %(name)s: the earlier time is kept.") % {
            "time": _local(attendee.checked_in_at, event),  # type: ignore[arg-type]
            "name": _by_name(attendee),
        }
        return
    CheckIn.objects.get_or_create(
        attendee=attendee,
        at=row.at,
        source=CheckIn.Source.OFFLINE,
        defaults={"by": acting_user(by), "device": device[:100]},
    )
    if before is None:
        row.outcome, row.message = "checked_in", _("Checked in.")
    else:
        row.outcome = "moved_earlier"
        row.message = _("Checked in earlier than recorded: %(old)s becomes %(new)s.") % {
            "old": _local(before, event),
            "new": _local(row.at, event),
        }


@transaction.atomic
def merge_offline_scans(*, event: Event, data: bytes, by: Any) -> MergeReport:
    """Merge a CSV of scans (columns `code` and `scanned_at` or `checked_in_at`, optionally
    `device`: the offline page's export, or the list's CSV with times filled in) into the
    event's check-ins (verified staff or its organisers).

    Every row is reported with its line and outcome: checked in, moved earlier (an earlier
    offline scan than the recorded check-in: the earliest time wins), already (checked in
    earlier, online or by an earlier merge: nothing changes, so a file merged twice changes
    nothing the second time), duplicate (the same code again in the file), skipped (no time,
    an empty row) or refused with the reason (unknown or cancelled code, a bad time). One
    audit entry with the counts. Raises ValidationError (keyed `file`) for a file that cannot
    be read, and NotAllowed for other actors."""
    _require_check_in(by, event)
    report = MergeReport()
    best = _candidates(read_scans(data), event, report)
    attendees = {
        a.code: a
        for a in checkin_attendees(event)
        .select_related("order", "ticket", "checked_in_by")
        .filter(code__in=list(best))
    }
    for code, (row, device) in best.items():
        _merge_one(row, device, attendees.get(code), event, by)
    log_activity(
        event,
        "events.checkin.merged",
        by=by,
        data={
            "rows": len(report.rows),
            "checked_in": report.checked_in,
            "already": report.count("already"),
            "duplicates": report.count("duplicate"),
            "refused": report.refused,
        },
    )
    return report
