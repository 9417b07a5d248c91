# ruff: noqa: PERF401 - loops over translated sentences read better than comprehensions
"""The committee's dashboard: one read assembling membership, invoices, communities and
partnerships (with the last reported activity of each, so a dormant one shows), officers and
contacts with terms ending soon, the programs' open calls, and what needs action."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from twinning.activities.queries import last_activity_by_partnership
from twinning.core.dates import association_today
from twinning.core.highlights import highlights_for
from twinning.members.calls import open_calls_for
from twinning.members.models import Invoice, Status
from twinning.members.notify import billing_address
from twinning.members.standing import standing_reasons
from twinning.members.status import member_status
from twinning.network.models import Member, Officer, Partnership

TERM_WARNING_DAYS = 90
QUIET_YEARS = 2  # a partnership with no reported activity for this long is shown as quiet


@dataclass(frozen=True)
class Action:
    text: str
    url: str = ""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _partnership_rows(member: Member, today: datetime.date) -> list[dict[str, Any]]:
    own = list(member.communities.select_related("country"))
    ids = [c.pk for c in own]
    partnerships = list(
        Partnership.objects.filter(Q(community_a__in=ids) | Q(community_b__in=ids))
        .select_related("community_a__country", "community_b__country")
        .order_by("community_a__name", "community_b__name", "pk")
    )
    last = last_activity_by_partnership([p.pk for p in partnerships])
    quiet_since = _years_before(today, QUIET_YEARS)
    rows = []
    for partnership in partnerships:
        side = (
            partnership.community_a
            if partnership.community_a_id in ids
            else partnership.community_b
        )
        activity = last.get(partnership.pk)
        rows.append(
            {
                "partnership": partnership,
                "community": side,
                "partner": partnership.partner_of(side),
                "last_activity": activity,
                "dormant": partnership.status == Partnership.Status.DORMANT,
                "quiet": partnership.status == Partnership.Status.ACTIVE
                and (activity is None or activity.end_date < quiet_since),
            }
        )
    return rows


def _terms_ending(member: Member, today: datetime.date) -> list[Officer]:
    horizon = today + datetime.timedelta(days=TERM_WARNING_DAYS)
    return list(
        member.officers.filter(term_end__isnull=False, term_end__lte=horizon).order_by("term_end")
    )


def _actions(member: Member, context: dict[str, Any], today: datetime.date) -> list[Action]:
    slug = member.slug
    actions: list[Action] = []
    status = context["status"]
    renew = reverse("members:portal_renew", kwargs={"slug": slug})
    if status.status is None or status.status in (
        Status.EXPIRED,
        Status.CANCELLED,
        Status.DECLINED,
    ):
        actions.append(Action(_("Apply for membership."), renew))
    elif status.status == Status.GRACE:
        actions.append(
            Action(_("Your membership has ended: renew it before the grace ends."), renew)
        )
    elif status.status == Status.CURRENT and status.membership is not None:
        days = (status.membership.end - today).days
        renewed = member.memberships.filter(
            start__gt=status.membership.end, declined_at__isnull=True
        ).exists()
        if days <= 60 and not renewed:
            actions.append(
                Action(_("Your membership ends in %(d)s days: renew it.") % {"d": days}, renew)
            )
    for invoice in context["unpaid"]:
        actions.append(
            Action(
                _("Invoice %(n)s: %(due)s %(cur)s still owed.")
                % {
                    "n": invoice.number,
                    "due": invoice.balance_due.quantize(Decimal("0.01")),
                    "cur": invoice.currency,
                },
                reverse(
                    "members:portal_invoice_detail", kwargs={"slug": slug, "number": invoice.number}
                ),
            )
        )
    for officer in context["terms_ending"]:
        if officer.term_end < today:
            text = _("The term of %(name)s (%(pos)s) ended on %(d)s: update your officers.")
        else:
            text = _("The term of %(name)s (%(pos)s) ends on %(d)s.")
        actions.append(
            Action(
                text
                % {
                    "name": officer.name,
                    "pos": officer.get_position_display(),
                    "d": officer.term_end.isoformat(),
                }
            )
        )
    if context["billing"] is None:
        actions.append(
            Action(_("Add a billing contact so invoices and reminders reach the right person."))
        )
    for row in context["partnerships"]:
        if row["quiet"]:
            actions.append(
                Action(
                    _("No activity reported with %(p)s for two years: report one.")
                    % {"p": row["partner"].name},
                    reverse("activities:portal_activity_create", kwargs={"slug": slug}),
                )
            )
    actions.extend(Action(c.title, c.url) for c in context["calls"] if c.action_needed)
    return actions


def dashboard_for(member: Member, today: datetime.date | None = None) -> dict[str, Any]:
    day = today or association_today()
    invoices = list(
        Invoice.objects.filter(member=member, issued_at__isnull=False)
        .with_balance()
        .order_by("-issued_at")[:10]
    )
    context: dict[str, Any] = {
        "member": member,
        "today": day,
        "status": member_status(member, day),
        "standing": standing_reasons(member, day),
        "invoices": invoices,
        "unpaid": [i for i in invoices if i.kind == Invoice.Kind.INVOICE and i.balance_due > 0],
        "partnerships": _partnership_rows(member, day),
        "officers": list(member.officers.order_by("position", "name")),
        "contacts": list(member.contacts.order_by("role", "name")),
        "terms_ending": _terms_ending(member, day),
        "billing": billing_address(member),
        "calls": open_calls_for(member, day),
        "highlights": highlights_for("committee_dashboard", member),
    }
    context["good_standing"] = all(r.ok for r in context["standing"])
    context["actions"] = _actions(member, context, day)
    return context
