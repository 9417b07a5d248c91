"""Review and decisions: the call's round on the review engine, the funding table under the
budget, staff decisions (held), and their publication with letters and grants."""

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Sum, Value
from django.db.models.functions import Cast
from django.db.models.functions import Round as SqlRound
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.fingerprints import cache_key, data_version
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.grants import emails
from twinning.grants.funding import Candidate, Placed, propose_funding
from twinning.grants.models import Application, Call, money
from twinning.grants.services.grants import _create_grant
from twinning.outbox.services import queue_email
from twinning.review.interface import (
    Outcome,
    Round,
    add_items,
    create_round,
    items_for,
    ranked_objects,
    ranking_version,
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


@dataclass(slots=True)  # no __dict__: one object per row, and the table holds every one
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
    ranked application, over light rows (tuples, never model instances): a few queries and one
    pass, whatever the number of applications (the sides' sums are read once, then cached:
    `side_sums`); a page loads its own applications."""
    round = call.review_round
    if round is None:
        return [], call.program.budget
    ranked = ranked_objects(round)
    states, digests = {}, {}
    for pk, state, digest in call.applications.order_by().values_list(
        "pk", "state", "content_hash"
    ):
        states[pk], digests[pk] = state, digest
    budget = _budget_for(call)
    rows = [entry for entry in ranked if entry.object_id in states]
    amounts = requested_amounts(call, {entry.object_id: digests[entry.object_id] for entry in rows})
    zero = Decimal(0)
    placed = propose_funding(
        [Candidate(entry.object_id, amounts.get(entry.object_id, zero)) for entry in rows], budget
    )
    table = [
        FundingRow(e.object_id, states[e.object_id], e.rank, e.normalised, p.candidate.amount, p)
        for e, p in zip(rows, placed, strict=True)
    ]
    return table, budget


def _budget_for(call: Call) -> Decimal:
    """The program's budget less what its other calls have awarded (one query)."""
    return call.program.budget - (
        Application.objects.filter(call__program=call.program, decision=FUNDED)
        .exclude(call=call)
        .aggregate(total=Sum("awarded_amount"))["total"]
        or Decimal(0)
    )


# One ranked application of `FundingState`, light to store and read back: application id,
# state, rank, normalised score, funded by the proposal, then what it asks and the running
# total as `str` of the table's Decimals (read back for a page's rows only, so a row shows
# exactly what `funding_table` computed).
Compact = tuple[int, str, int | None, float | None, bool, str, str]


@dataclass(slots=True)
class FundingState:
    """The funding table of a call as its staff page reads it: the budget, every ranked
    application as a light tuple in rank order, and the call's applications not ranked."""

    budget: Decimal
    rows: list[Compact]
    unranked: list[int]

    def funding_rows(self, rows: list[Compact]) -> list[FundingRow]:
        """`FundingRow`s of these rows (a page), equal to `funding_table`'s."""
        falls_out = _("asks %(amount)s, only %(left)s left")
        found = []
        for pk, state, rank, score, funded, asks, total in rows:
            amount, running = Decimal(asks), Decimal(total)
            left = self.budget - running
            reason = "" if funded else falls_out % {"amount": amount, "left": left}
            placed = Placed(Candidate(pk, amount), funded, running, left, reason)
            found.append(FundingRow(pk, state, rank, score, amount, placed))
        return found

    @property
    def proposed(self) -> Decimal:
        """The proposal's total (the last row's running total)."""
        return Decimal(self.rows[-1][6]) if self.rows else self.budget * 0


FUNDING_SECONDS = 24 * 60 * 60


def funding_state(call: Call) -> FundingState:
    """`funding_table` and the call's unranked applications, cached under everything they
    follow from: the round's ranking (`ranking_version`), the call's applications (count,
    latest id and latest change, `core.fingerprints`: a submission, a decision, a budget line
    changed through the services all save the application's `updated_at`), the budget left
    (read fresh), the call's rates and the program's currency. A change of any makes a new
    key, so the page never shows a stale table; a view costs four small queries once cached
    instead of walking 2,000 applications."""
    rates = sorted((r.currency, str(r.rate)) for r in call.rates.all())
    budget = _budget_for(call)
    round = call.review_round
    parts = (
        call.pk,
        ranking_version(round) if round is not None else "",
        data_version((call.applications.all(), ("pk", "updated_at"))),
        str(budget),
        rates,
        call.program.currency,
    )
    key = cache_key("grants:funding", *parts)
    state = cache.get(key)
    if state is None:
        table, budget = funding_table(call)
        ranked = {row.application_id for row in table}
        state = FundingState(
            budget=budget,
            rows=[
                (
                    row.application_id,
                    row.state,
                    row.rank,
                    row.score,
                    row.placed.funded,
                    str(row.requested),
                    str(row.placed.running_total),
                )
                for row in table
            ],
            unranked=[
                pk
                for pk in call.applications.order_by().values_list("pk", flat=True)
                if pk not in ranked
            ],
        )
        cache.set(key, state, FUNDING_SECONDS)
    return state


def with_applications(rows: list[FundingRow]) -> list[FundingRow]:
    """The rows with their applications (one query for the rows given: a page, not the
    table)."""
    found = Application.objects.only(
        "pk", "title", "state", "decision", "awarded_amount", "decision_reason", "call_id"
    ).in_bulk([row.application_id for row in rows])
    for row in rows:
        row.application = found.get(row.application_id)
    return [row for row in rows if row.application is not None]


def requested_amounts(call: Call, digests: Mapping[int, str] | None = None) -> dict[int, Decimal]:
    """What each application asks in the program's currency, as `Application.requested_total`
    computes it: each side's lines summed, converted at the call's rate and rounded half-up
    to cents, then the sides added. The conversion is in integers (a rate as an integer over
    a power of ten, exact), one Decimal per application.

    Without `digests`, every application of the call, from one grouped query. With
    `digests` (application id -> its `content_hash`, read by the caller), those applications,
    cached under a key made of everything the amounts follow from: the call, its currency and
    rates, and each application's digest (which covers every side's currency and budget
    lines: any change makes a new one, `Application.compute_hash`). A key is therefore never
    stale and nothing needs invalidating; the amounts are cached only when the grouped query
    saw the very digests given (else they are used for this request alone)."""
    rates = {r.currency: r.rate for r in call.rates.all()}
    rates[call.program.currency] = Decimal(1)
    if digests is None or not all(digests.values()):
        cents, _seen = _asked_cents(call, rates)
    else:
        wanted = sorted(digests.items())
        fingerprint = repr((call.pk, call.program.currency, sorted(rates.items()), wanted))
        key = "grants:asks:" + hashlib.sha256(fingerprint.encode()).hexdigest()
        cents = cache.get(key)
        if cents is None:
            every, seen = _asked_cents(call, rates)
            cents = {pk: every[pk] for pk, _digest in wanted if pk in every}
            if all(seen.get(pk) == digest for pk, digest in wanted):
                cache.set(key, cents, ASKS_SECONDS)
    return {pk: Decimal(value).scaleb(-2) for pk, value in cents.items()}


ASKS_SECONDS = 24 * 60 * 60


def _asked_cents(call: Call, rates: Mapping[str, Decimal]) -> tuple[dict[int, int], dict[int, str]]:
    """Each application's ask in whole cents of the program's currency, and the content
    digest of each application as the same query saw it. One query grouped per side, from
    the applications (an application without lines is seen too); the sums come back as whole
    cents (plain integers: none of the ORM's converters per value)."""
    scaled = {code: _as_fraction(rate) for code, rate in rates.items()}
    home = call.program.currency
    query = (
        Application.objects.filter(call=call)
        .values_list("pk", "content_hash", "sides__id", "sides__currency")
        .annotate(
            cents=Cast(SqlRound(Sum("sides__lines__requested") * Value(100)), BigIntegerField())
        )
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    totals: dict[int, int] = {}
    seen: dict[int, str] = {}
    for application_id, digest, _side, currency, cents in rows:
        seen[application_id] = digest
        if cents is None:  # no side, or a side without lines
            continue
        if currency == home:
            totals[application_id] = totals.get(application_id, 0) + cents
            continue
        fraction = scaled.get(currency)
        if fraction is None:  # no rate for it: the side counts as 0 (requested_total)
            continue
        converted = _half_up(cents * fraction[0], fraction[1])
        totals[application_id] = totals.get(application_id, 0) + converted
    return totals, seen


def _as_fraction(rate: Decimal) -> tuple[int, int]:
    """`rate` as (numerator, 10**places), exactly."""
    places = max(0, -int(rate.as_tuple().exponent))
    return int(rate.scaleb(places)), 10**places


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to an integer, halves away from zero (ROUND_HALF_UP,
    as `money`)."""
    if numerator < 0:
        return -_half_up(-numerator, denominator)
    quotient, remainder = divmod(numerator, denominator)
    return quotient + 1 if 2 * remainder >= denominator else quotient


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
