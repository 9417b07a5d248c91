"""Review and decisions: the call's round on the review engine, the funding table under the
budget, staff decisions (held), and their publication with letters and grants."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Sum, Value
from django.db.models.functions import Cast
from django.db.models.functions import Round as SqlRound
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.grants import emails
from twinning.grants.funding import Candidate, Placed, propose_funding
from twinning.grants.models import Application, BudgetLine, Call, money
from twinning.grants.services.grants import _create_grant
from twinning.outbox.services import queue_email
from twinning.review.interface import (
    Outcome,
    Round,
    add_items,
    create_round,
    items_for,
    ranked_objects,
    record_decision,
)

CRITERIA = (
    {"name": "Relevance to the program", "help_text": "How well it serves the program's aims."},
    {"name": "Partnership", "help_text": "How equally the partners plan and carry it."},
    {"name": "Feasibility and budget", "help_text": "Whether the plan and budget hold."},
    {"name": "Lasting results", "help_text": "What remains for both communities after it."},
)
REVIEW_WEEKS = 4


@transaction.atomic
def open_review(*, call: Call, by: Any) -> Round:
    """The call's review round on the engine (created on first use, not blind: the panel
    judges the partnership) with every submitted application under review. Verified staff.
    The panel is built and assigned on the engine's round pages."""
    require(by, "grants.manage")
    given, call = call, Call.objects.select_for_update().get(pk=call.pk)
    if call.review_round is None:
        opens = max(call.closes_at, timezone.now()).replace(microsecond=0)
        call.review_round = create_round(
            name=_("%(call)s: review") % {"call": call},
            model=Application,
            opens_at=opens,
            closes_at=opens + datetime.timedelta(weeks=REVIEW_WEEKS),
            criteria=CRITERIA,
            blind=False,
            by=by,
        )
        call.save(update_fields=["review_round", "updated_at"])
    submitted = call.applications.filter(state=Application.State.SUBMITTED)
    add_items(round=call.review_round, objects=submitted, by=by)
    log_activity(call, "grants.review.opened", by=by, data={"round": call.review_round.pk})
    given.review_round = call.review_round
    return call.review_round


def budget_left(call: Call, *, excluding: Application | None = None) -> Decimal:
    """The program's budget less what its calls have awarded (decided, published or not)."""
    awarded = Application.objects.filter(
        call__program=call.program, decision=FUNDED, awarded_amount__isnull=False
    )
    if excluding is not None:
        awarded = awarded.exclude(pk=excluding.pk)
    total = awarded.aggregate(total=Sum("awarded_amount"))["total"] or Decimal(0)
    return call.program.budget - total


@dataclass
class FundingRow:
    """One ranked application in the funding table, light (no model instance): what it asks,
    where the proposal puts it. `application` is filled only for the rows a page shows
    (`with_applications`)."""

    application_id: int
    state: str
    rank: int | None
    score: float | None
    requested: Decimal
    placed: Placed
    application: Application | None = None


FUNDED, DECLINED = "funded", "declined"


def funding_table(call: Call) -> tuple[list[FundingRow], Decimal]:
    """The call's ranked applications (the engine's ranking), each with what it asks, the
    running total and whether the proposal funds it (and if not, why), under what is left of
    the program's budget (decisions of this call not counted). The proposal walks every
    ranked application, over light rows (tuples, never model instances): four queries and one
    pass, whatever the number of applications; a page loads its own applications."""
    round = call.review_round
    if round is None:
        return [], call.program.budget
    ranked = ranked_objects(round)
    states = dict(call.applications.order_by().values_list("pk", "state"))
    budget = call.program.budget - (
        Application.objects.filter(call__program=call.program, decision=FUNDED)
        .exclude(call=call)
        .aggregate(total=Sum("awarded_amount"))["total"]
        or Decimal(0)
    )
    amounts = requested_amounts(call)
    zero = Decimal(0)
    rows = [entry for entry in ranked if entry.object_id in states]
    placed = propose_funding(
        [Candidate(entry.object_id, amounts.get(entry.object_id, zero)) for entry in rows], budget
    )
    table = [
        FundingRow(e.object_id, states[e.object_id], e.rank, e.normalised, p.candidate.amount, p)
        for e, p in zip(rows, placed, strict=True)
    ]
    return table, budget


def with_applications(rows: list[FundingRow]) -> list[FundingRow]:
    """The rows with their applications (one query for the rows given: a page, not the
    table)."""
    found = Application.objects.only(
        "pk", "title", "state", "decision", "awarded_amount", "decision_reason", "call_id"
    ).in_bulk([row.application_id for row in rows])
    for row in rows:
        row.application = found.get(row.application_id)
    return [row for row in rows if row.application is not None]


def requested_amounts(call: Call) -> dict[int, Decimal]:
    """What each application asks in the program's currency, every side's lines converted at
    the call's rate (one grouped query, whatever the number of applications). The sums come
    back as whole cents (exact integers, no Decimal conversion per row)."""
    rates = {r.currency: r.rate for r in call.rates.all()}
    rates[call.program.currency] = Decimal(1)
    totals: dict[int, Decimal] = {}
    sums = (
        BudgetLine.objects.filter(side__application__call=call)
        .values_list("side__application_id", "side__currency")
        .annotate(cents=Cast(SqlRound(Sum("requested") * Value(100)), BigIntegerField()))
        .order_by()
    )
    # Plain integers need none of the ORM's per-value converters (two rows per application).
    sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    home = call.program.currency
    home_cents: dict[int, int] = {}
    for application_id, currency, cents in found:
        if currency == home:  # no conversion: whole cents add up exactly
            home_cents[application_id] = home_cents.get(application_id, 0) + cents
            continue
        rate = rates.get(currency)
        if rate is not None:
            totals[application_id] = (
                totals.get(application_id, Decimal(0)) + Decimal(cents).scaleb(-2) * rate
            )
    for application_id, cents in home_cents.items():
        totals[application_id] = totals.get(application_id, Decimal(0)) + Decimal(cents).scaleb(-2)
    return {pk: money(value) for pk, value in totals.items()}


def _require_undecided_call(call: Call) -> None:
    if call.decisions_published_at is not None:
        raise ValidationError(_("This call's decisions are published: they can no longer change."))


@transaction.atomic
def decide_application(
    *,
    application: Application,
    funded: bool,
    amount: Decimal | None = None,
    reason: str = "",
    by: Any,
) -> Application:
    """Record staff's decision (held until published): funded with `amount` (by default what
    it asks; less is a partial award and needs a `reason`), or not funded. The engine records
    the outcome too. ValidationError when the amount exceeds what it asks or the budget left."""
    require(by, "grants.manage")
    application = Application.objects.select_for_update().get(pk=application.pk)
    call = application.call
    _require_undecided_call(call)
    if application.state != Application.State.SUBMITTED:
        raise ValidationError(_("Only submitted applications are decided."))
    requested = application.requested_total()
    if funded:
        amount = money(Decimal(amount)) if amount is not None else requested
        if amount <= 0 or amount > requested:
            raise ValidationError(
                {"amount": _("Award more than 0 and at most the %(r)s asked.") % {"r": requested}}
            )
        if amount < requested and not reason.strip():
            raise ValidationError({"reason": _("Say why the award is partial.")})
        if amount > budget_left(call, excluding=application):
            raise ValidationError({"amount": _("This award would exceed the program's budget.")})
    application.decision = FUNDED if funded else DECLINED
    application.awarded_amount = amount if funded else None
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.save()
    if call.review_round is not None:
        item = items_for(call.review_round, [application]).get(application.pk)
        if item is not None:
            record_decision(
                item=item,
                outcome=Outcome.WINNER if funded else Outcome.NOT_SELECTED,
                note=reason,
                by=by,
            )
    log_activity(
        application,
        "grants.application.decided",
        by=by,
        data={"decision": application.decision, "amount": str(amount or ""), "reason": reason},
    )
    return application


@transaction.atomic
def accept_proposal(*, call: Call, by: Any) -> int:
    """Decide every ranked application as the proposal says (funded in full, or not funded
    with the reason it fell out). Returns how many were decided."""
    require(by, "grants.manage")
    _require_undecided_call(call)
    table, _budget = funding_table(call)
    pending = [row for row in table if row.state == Application.State.SUBMITTED]
    for row in with_applications(pending):
        if row.application is not None:
            decide_application(
                application=row.application,
                funded=row.placed.funded,
                reason=row.placed.reason,
                by=by,
            )
    return len(table)


@transaction.atomic
def publish_decisions(*, call: Call, by: Any) -> int:
    """Publish the call's decisions: funded applications become grants (agreement, tranches,
    reports), the others are declined; letters to every side's admins and contact are held in
    the outbox for staff. ValidationError while a submitted application is undecided."""
    require(by, "grants.manage")
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require_undecided_call(call)
    submitted = list(
        call.applications.filter(state=Application.State.SUBMITTED).prefetch_related(
            "sides__member__admins"
        )
    )
    undecided = [a.title for a in submitted if not a.decision]
    if undecided:
        raise ValidationError(
            _("Decide every application first: %(titles)s.") % {"titles": ", ".join(undecided)}
        )
    for application in submitted:
        funded = application.decision == FUNDED
        application.state = Application.State.FUNDED if funded else Application.State.DECLINED
        application.save(update_fields=["state", "updated_at"])
        grant = _create_grant(application=application, by=by) if funded else None
        _letters(application, grant, by)
    call.decisions_published_at = timezone.now()
    call.save(update_fields=["decisions_published_at", "updated_at"])
    log_activity(call, "grants.decisions.published", by=by, data={"count": len(submitted)})
    return len(submitted)


def _letters(application: Application, grant: Any, by: Any) -> None:
    program = application.call.program
    for side in application.sides.all():
        addresses = {side.contact_email} if side.contact_email else set()
        if side.member is not None:
            addresses |= {a.email for a in side.member.admins.all() if a.email}
        for address in sorted(addresses):
            if grant is not None:
                template = emails.DECISION_FUNDED
                context = {
                    "program": program.name,
                    "title": application.title,
                    "amount": f"{application.awarded_amount} {program.currency}",
                    "reason": application.decision_reason,
                    "grant_url": absolute_url(grant.get_absolute_url()),
                }
            else:
                template = emails.DECISION_DECLINED
                context = {
                    "program": program.name,
                    "title": application.title,
                    "reason": application.decision_reason,
                }
            queue_email(
                to=address,
                template=template,
                context=context,
                hold=True,
                related=application,
                by=by,
                key=f"grants.decision.{application.pk}.{address}",
            )
