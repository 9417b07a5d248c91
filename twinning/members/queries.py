"""Reads for members' pages and exports: members with their membership status on a date (in
SQL: `members_with_status` computes it, `members_with_summary` reads the stored summary the
staff list filters, counts and pages on), the balance they owe, and segments for bulk e-mail."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from twinning.activities.models import Activity, Sector
from twinning.members.models import MONEY, ZERO, Invoice, Membership, Payment, Status
from twinning.network.models import Community, Member, Region

NO_MEMBERSHIP = "none"
STATUS_FILTERS = [s.value for s in Status] + [NO_MEMBERSHIP]


def _sum(qs: QuerySet, field: str) -> Coalesce:
    return Coalesce(
        Subquery(qs.values("member").annotate(s=Sum(field)).values("s")[:1]),
        Value(ZERO),
        output_field=DecimalField(**MONEY),
    )


def members_with_status(
    on: datetime.date, queryset: QuerySet[Member] | None = None
) -> QuerySet[Member]:
    """Members annotated with `membership_status` (None: never applied), `membership_end`
    and `balance_owed` (invoices less credit notes and payments)."""
    best = (
        Membership.objects.filter(member=OuterRef("pk"))
        .with_status(on)
        .order_by("status_rank", "-end")
    )
    invoices = Invoice.objects.filter(member=OuterRef("pk"), kind=Invoice.Kind.INVOICE)
    credits = Invoice.objects.filter(member=OuterRef("pk"), kind=Invoice.Kind.CREDIT_NOTE)
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(invoice__member=OuterRef("pk"))
            .values("invoice__member")
            .annotate(s=Sum("amount"))
            .values("s")[:1]
        ),
        Value(ZERO),
        output_field=DecimalField(**MONEY),
    )
    base = queryset if queryset is not None else Member.objects.all()
    return base.annotate(
        membership_status=Subquery(best.values("status_value")[:1]),
        membership_end=Subquery(best.values("end")[:1]),
        invoiced=_sum(invoices, "total"),
        credited=_sum(credits, "total"),
        paid=paid,
    ).annotate(
        balance_owed=ExpressionWrapper(
            F("invoiced") - F("credited") - F("paid"), output_field=DecimalField(**MONEY)
        )
    )


def members_with_summary(queryset: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Members annotated like `members_with_status` (`membership_status`, `membership_end`,
    `balance_owed`), read from the stored `MemberSummary` (one join, no per-member
    subquery): refresh stale rows first (`services.summary.refresh_stale_summaries`)."""
    base = queryset if queryset is not None else Member.objects.all()
    return base.annotate(
        membership_status=F("summary__status"),
        membership_end=F("summary__membership_end"),
        balance_owed=Coalesce(
            F("summary__balance_owed"), Value(ZERO), output_field=DecimalField(**MONEY)
        ),
    )


def filter_members(
    qs: QuerySet[Member],
    *,
    status: str = "",
    region: str = "",
    country: str = "",
    q: str = "",
    program: str = "",
) -> QuerySet[Member]:
    """Narrow an annotated member list by segment; unknown values are ignored by the forms.

    `program` is one of the association's program areas (activities.Sector): members who
    reported an activity in it (not a draft)."""
    if program in Sector.values:
        qs = qs.filter(
            Exists(
                Activity.objects.filter(member=OuterRef("pk"), sector=program).exclude(
                    state=Activity.State.DRAFT
                )
            )
        )
    if region in Region.values:
        qs = qs.filter(
            Exists(Community.objects.filter(members=OuterRef("pk"), country__region=region))
        )
    if country:
        qs = qs.filter(
            Exists(Community.objects.filter(members=OuterRef("pk"), country_id=country.upper()))
        )
    if q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Exists(Community.objects.filter(members=OuterRef("pk"), name__icontains=term))
        )
    if status == NO_MEMBERSHIP:
        qs = qs.filter(membership_status__isnull=True)
    elif status in Status.values:
        qs = qs.filter(membership_status=status)
    return qs


def status_counts(qs: QuerySet[Member]) -> dict[str, int]:
    """{status: number of members} over an annotated list, in one grouped query."""
    counts = dict(
        qs.order_by()
        .values("membership_status")
        .annotate(n=Count("pk"))
        .values_list("membership_status", "n")
    )
    result = {s.value: counts.get(s.value, 0) for s in Status}
    result[NO_MEMBERSHIP] = counts.get(None, 0)
    return result


def for_list(qs: QuerySet[Member]) -> QuerySet[Member]:
    """What a row of the staff list shows: the communities and their countries."""
    return qs.prefetch_related(
        Prefetch("communities", queryset=Community.objects.select_related("country"))
    ).order_by("name", "pk")


def member_owes(member: Member) -> Decimal:
    row: Any = members_with_status(datetime.date.min, Member.objects.filter(pk=member.pk)).get()
    return row.balance_owed
