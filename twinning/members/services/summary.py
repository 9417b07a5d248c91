"""The stored member summary (`MemberSummary`): status today, membership end and balance owed,
recomputed with the status rules (`Membership.status_on`, the membership that speaks for the
member by `status.membership_on`) and the invoices, credit notes and payments, whenever what
they depend on changes.

Every service that writes a membership, an invoice, a credit note or a payment calls
`refresh_member_summaries` for its member inside its own transaction; the calendar's changes
(a membership ending, its grace running out, an override lapsing) are picked up by
`refresh_stale_summaries`, which the scheduled `refresh_member_status` command and the staff
list run. The rows of the members being refreshed are locked first, so two writers on one
member (two payments at once) cannot store a balance that misses the other's payment."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from twinning.core.dates import association_today
from twinning.members.models import ZERO, Invoice, Membership, MemberSummary, Payment
from twinning.members.status import membership_on
from twinning.network.models import Member

BATCH = 500
CENT = Decimal("0.01")
_FIELDS = ["status", "membership_end", "balance_owed", "computed_on", "valid_until"]
# What `Membership.status_on` reads.
_STATUS_FIELDS = [
    "member_id",
    "start",
    "end",
    "grace_end",
    "approved_at",
    "declined_at",
    "cancelled_on",
    "override_status",
    "override_until",
]


def _valid_until(memberships: Iterable[Membership], on: datetime.date) -> datetime.date | None:
    """The last day on which every membership of a member keeps its status of `on`: the day
    before the earliest of the dates on which a status changes by the calendar (a start, the
    day after an end, a grace end or an override's end, a cancellation)."""
    day = datetime.timedelta(days=1)
    changes: list[datetime.date] = []
    for m in memberships:
        candidates = [m.start, m.end + day, m.grace_end + day, m.cancelled_on]
        if m.override_status and m.override_until is not None:
            candidates.append(m.override_until + day)
        changes.extend(c for c in candidates if c is not None and c > on)
    return min(changes) - day if changes else None


def _balances(ids: list[int]) -> dict[int, Decimal]:
    """Invoices less credit notes less payments, per member (as `members_with_status`)."""
    owed: dict[int, Decimal] = {}
    for member_id, kind, total in (
        Invoice.objects.filter(member_id__in=ids)
        .order_by()
        .values_list("member_id", "kind")
        .annotate(s=Sum("total"))
    ):
        sign = 1 if kind == Invoice.Kind.INVOICE else -1
        owed[member_id] = owed.get(member_id, ZERO) + sign * Decimal(total)
    for member_id, paid in (
        Payment.objects.filter(invoice__member_id__in=ids)
        .order_by()
        .values_list("invoice__member_id")
        .annotate(s=Sum("amount"))
    ):
        owed[member_id] = owed.get(member_id, ZERO) - Decimal(paid)
    return owed


def _refresh_batch(ids: list[int], on: datetime.date) -> int:
    placeholders = [MemberSummary(member_id=pk, computed_on=on, valid_until=None) for pk in ids]
    MemberSummary.objects.bulk_create(placeholders, ignore_conflicts=True)
    # Lock in a fixed order (no deadlock between two refreshes of overlapping members), then
    # read: a writer waiting here reads what the one before it committed.
    list(
        MemberSummary.objects.select_for_update()
        .filter(member_id__in=ids)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    per_member: dict[int, list[Membership]] = {pk: [] for pk in ids}
    for membership in Membership.objects.filter(member_id__in=ids).only(*_STATUS_FIELDS):
        per_member[membership.member_id].append(membership)
    owed = _balances(ids)
    summaries = []
    for pk, memberships in per_member.items():
        best = membership_on(memberships, on)
        summaries.append(
            MemberSummary(
                member_id=pk,
                status=best.status_on(on) if best else None,
                membership_end=best.end if best else None,
                balance_owed=owed.get(pk, ZERO).quantize(CENT),
                computed_on=on,
                valid_until=_valid_until(memberships, on),
            )
        )
    MemberSummary.objects.bulk_create(
        summaries, update_conflicts=True, unique_fields=["member"], update_fields=_FIELDS
    )
    return len(summaries)


def refresh_member_summaries(
    members: Iterable[Member | int] | None = None, *, on: datetime.date | None = None
) -> int:
    """Recompute and store the summary of `members` (default: every member) for the
    association's today (or `on`); returns how many rows were written. Runs in the caller's
    transaction when there is one (a service's), in its own otherwise."""
    day = on or association_today()
    if members is None:
        ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({m if isinstance(m, int) else m.pk for m in members})
    written = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            written += _refresh_batch(ids[start : start + BATCH], day)
    return written


def refresh_stale_summaries(on: datetime.date | None = None) -> int:
    """Refresh the rows whose status may have changed by the calendar since they were
    computed (past `valid_until`, or computed for a later day than `on`). One indexed query
    when nothing is stale, which is the rule once the daily job has run."""
    day = on or association_today()
    stale = list(
        MemberSummary.objects.filter(Q(valid_until__lt=day) | Q(computed_on__gt=day)).values_list(
            "member_id", flat=True
        )
    )
    return refresh_member_summaries(stale, on=day) if stale else 0
