"""Programs and calls (staff), with the call's exchange rates and lump-sum table."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.services import log_activity
from twinning.grants.models import Call, ExchangeRate, LumpSum, Program


@transaction.atomic
def create_program(*, by: Any, **fields: Any) -> Program:
    """A funding program (verified staff). Raises ValidationError for bad fields."""
    require(by, "grants.manage")
    program = Program(**fields)
    program.full_clean()
    program.save()
    log_activity(program, "grants.program.created", by=by, data={"name": program.name})
    return program


@transaction.atomic
def create_call(
    *,
    program: Program,
    rates: Mapping[str, Decimal] | None = None,
    lump_sums: Sequence[tuple[int, int, Decimal]] = (),
    by: Any,
    **fields: Any,
) -> Call:
    """A call of `program` with its fixed exchange rates (currency -> program units per
    unit) and lump-sum rows (countries, participants up to, amount). Verified staff."""
    require(by, "grants.manage")
    call = Call(program=program, **fields)
    call.full_clean()
    call.save()
    _set_rates(call, rates or {})
    _set_lump_sums(call, lump_sums)
    log_activity(call, "grants.call.created", by=by, data={"title": call.title})
    return call


@transaction.atomic
def save_program(*, program: Program, by: Any) -> Program:
    """Save staff's changes to a program (the back office's form), audited."""
    require(by, "grants.manage")
    program.full_clean()
    program.save()
    log_activity(program, "grants.program.saved", by=by, data={"name": program.name})
    return program


@transaction.atomic
def save_call(
    *,
    call: Call,
    by: Any,
    rates: Mapping[str, Decimal] | None = None,
    lump_sums: Sequence[tuple[int, int, Decimal]] | None = None,
) -> Call:
    """Save staff's changes to a call (dates, ceiling, co-financing, questions), audited; with
    `rates` or `lump_sums`, they replace the call's. The rates are refused once the decisions
    are published: the letters and grants were converted at them."""
    require(by, "grants.manage")
    call.full_clean()
    if rates is not None and call.decisions_published_at is not None:
        current = {r.currency: r.rate for r in call.rates.all()}
        if current != {currency: Decimal(rate) for currency, rate in rates.items()}:
            raise ValidationError(
                {
                    "rates": _(
                        "The decisions are published: the exchange rates can no longer change."
                    )
                }
            )
    call.save()
    if rates is not None:
        _set_rates(call, rates)
    if lump_sums is not None:
        _set_lump_sums(call, lump_sums)
    log_activity(call, "grants.call.saved", by=by, data={"title": call.title})
    return call


def _set_rates(call: Call, rates: Mapping[str, Decimal]) -> None:
    call.rates.all().delete()
    for currency, rate in rates.items():
        row = ExchangeRate(call=call, currency=currency, rate=Decimal(rate))
        row.full_clean()
        row.save()


def _set_lump_sums(call: Call, lump_sums: Sequence[tuple[int, int, Decimal]]) -> None:
    call.lump_sums.all().delete()
    LumpSum.objects.bulk_create(
        [
            LumpSum(call=call, countries=countries, participants=participants, amount=amount)
            for countries, participants, amount in lump_sums
        ]
    )
