"""Whether an application meets its program's rules, each rule explained in words a committee
reads on the application page: the shape (pair or trio, required countries), partner countries
and regions, the partnerships (recorded, active), the committees' good standing (members'
one answer, `members.standing`), the ceiling per application and the co-financing."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from twinning.grants.models import Application, ApplicationSide, money
from twinning.members.standing import standing_reasons
from twinning.network.models import Partnership


@dataclass(frozen=True)
class Rule:
    rule: str
    ok: bool
    text: str


def _shape(application: Application, sides: list[ApplicationSide]) -> list[Rule]:
    program = application.call.program
    rules = []
    count_ok = len(sides) == program.size
    rules.append(
        Rule(
            "shape",
            count_ok,
            _("%(program)s funds %(size)s communities together; this application has %(n)s.")
            % {"program": program.name, "size": program.size, "n": len(sides)},
        )
    )
    if program.required_countries:
        have = sorted(side.community.country_id for side in sides)
        need = sorted(program.required_countries)
        rules.append(
            Rule(
                "countries",
                have == need,
                _("One community each from %(need)s is required; this application has %(have)s.")
                % {"need": ", ".join(need), "have": ", ".join(have) or "-"},
            )
        )
    return rules


def _places(application: Application, sides: list[ApplicationSide]) -> list[Rule]:
    program = application.call.program
    rules = []
    partners = [side for side in sides if not side.is_lead] or sides
    if program.eligible_countries:
        outside = [
            str(s.community)
            for s in sides
            if s.community.country_id not in program.eligible_countries
        ]
        rules.append(
            Rule(
                "eligible_countries",
                not outside,
                _("Every community is in an eligible country.")
                if not outside
                else _("Not in an eligible country (%(list)s): %(names)s.")
                % {"list": ", ".join(program.eligible_countries), "names": ", ".join(outside)},
            )
        )
    if program.eligible_regions:
        regions = ", ".join(program.eligible_regions)
        inside = [s for s in partners if s.community.country.region in program.eligible_regions]
        rules.append(
            Rule(
                "eligible_regions",
                bool(inside),
                _("A partner is in an eligible region (%(regions)s).") % {"regions": regions}
                if inside
                else _("No partner community is in an eligible region (%(regions)s).")
                % {"regions": regions},
            )
        )
    return rules


def _partnerships(application: Application, sides: list[ApplicationSide]) -> list[Rule]:
    if not application.call.program.require_recognised_partnership:
        return []
    rules = []
    lead = next((s for s in sides if s.is_lead), None)
    pairs = (
        [(lead, side) for side in sides if side is not lead]
        if lead
        else list(itertools.combinations(sides, 2))
    )
    for one, other in pairs:
        found = Partnership.objects.between(one.community, other.community).first()
        ok = found is not None and found.status == Partnership.Status.ACTIVE
        if found is None:
            text = _("%(a)s and %(b)s have no partnership in the registry.")
        elif not ok:
            text = _("The partnership of %(a)s and %(b)s is not active (%(status)s).")
        else:
            text = _("%(a)s and %(b)s: recorded, active partnership.")
        rules.append(
            Rule(
                "partnership",
                ok,
                text
                % {
                    "a": one.community,
                    "b": other.community,
                    "status": found.get_status_display() if found else "",
                },
            )
        )
    return rules


def _standing(application: Application, sides: list[ApplicationSide]) -> list[Rule]:
    if not application.call.program.require_good_standing:
        return []
    rules = []
    for side in sides:
        if side.member is None:
            continue
        reasons = standing_reasons(side.member)
        ok = all(reason.ok for reason in reasons)
        detail = " ".join(reason.text for reason in reasons if not reason.ok)
        rules.append(
            Rule(
                "good_standing",
                ok,
                _("%(member)s is in good standing.") % {"member": side.member}
                if ok
                else _("%(member)s is not in good standing: %(why)s")
                % {"member": side.member, "why": detail},
            )
        )
    lead = next((s for s in sides if s.is_lead), None)
    if lead is not None and lead.member is None:
        rules.append(Rule("good_standing", False, _("The lead side needs a member committee.")))
    return rules


def _money(application: Application, sides: list[ApplicationSide]) -> list[Rule]:
    call = application.call
    currency = call.program.currency
    rules = []
    missing = [s.currency for s in sides if s.rate() is None]
    if missing:
        rules.append(
            Rule(
                "rates",
                False,
                _("The call has no exchange rate for %(codes)s: ask staff, or budget in %(c)s.")
                % {"codes": ", ".join(sorted(set(missing))), "c": currency},
            )
        )
    requested = money(sum((s.requested_converted() for s in sides), Decimal(0)))
    cost = money(sum((s.cost_converted() for s in sides), Decimal(0)))
    rules.append(
        Rule(
            "maximum",
            requested <= call.max_per_application,
            _("Requested %(req)s %(c)s of at most %(max)s %(c)s.")
            % {"req": requested, "max": call.max_per_application, "c": currency},
        )
    )
    if call.cofinancing_percent:
        own = cost - requested
        share = (own * 100 / cost).quantize(Decimal("0.1")) if cost else Decimal(0)
        rules.append(
            Rule(
                "cofinancing",
                cost > 0 and share >= call.cofinancing_percent,
                _("Co-financing %(share)s%% of the cost; the call asks at least %(need)s%%.")
                % {"share": share, "need": call.cofinancing_percent},
            )
        )
    return rules


def eligibility(application: Application) -> list[Rule]:
    """Every rule of the application's program, each with whether it holds and why."""
    sides = list(
        application.sides.select_related("community__country", "member").prefetch_related(
            "lines", "application__call__rates"
        )
    )
    return [
        *_shape(application, sides),
        *_places(application, sides),
        *_partnerships(application, sides),
        *_standing(application, sides),
        *_money(application, sides),
    ]


def is_eligible(application: Application) -> bool:
    return all(rule.ok for rule in eligibility(application))
