"""Who may be nominated in a category, computed from the registry and explained before anyone
starts: the committee in good standing (members.standing), at least one formally recognised,
active partnership of its communities, and, for a category with a population bracket, the
community's population from the registry (missing: a clear message saying how to fix it). No
fee is asked."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from twinning.awards.models import Category
from twinning.members.standing import standing_reasons
from twinning.network.models import Community, Member, Partnership

# A friendship city is a lighter, informal tie: formal recognition means a sister city, twin
# town or partner city agreement (the kinds the association counts as formal).
RECOGNISED_KINDS = (
    Partnership.Kind.SISTER_CITY,
    Partnership.Kind.TWIN_TOWN,
    Partnership.Kind.PARTNER_CITY,
)

# The Best Overall Program brackets: (lowest, highest) population, None for open-ended.
DEFAULT_BRACKETS: list[tuple[int | None, int | None]] = [
    (None, 25_000),
    (25_001, 100_000),
    (100_001, 300_000),
    (300_001, 500_000),
    (500_001, None),
]


@dataclass(frozen=True)
class Rule:
    rule: str  # "membership", "partnership", "population"
    ok: bool
    text: str


@dataclass
class Eligibility:
    rules: list[Rule] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(rule.ok for rule in self.rules)

    @property
    def problems(self) -> list[str]:
        return [rule.text for rule in self.rules if not rule.ok]


def recognised_partnerships(member: Member) -> list[Partnership]:
    ids = list(member.communities.values_list("pk", flat=True))
    return list(
        Partnership.objects.active()
        .filter(kind__in=RECOGNISED_KINDS)
        .filter(Q(community_a__in=ids) | Q(community_b__in=ids))
        .select_related("community_a", "community_b")[:3]
    )


def in_bracket(category: Category, population: int) -> bool:
    low, high = category.population_min, category.population_max
    return (low is None or population >= low) and (high is None or population <= high)


def population_rule(category: Category, community: Community) -> Rule:
    if community.population is None:
        return Rule(
            "population",
            False,
            _(
                "The registry has no population for %(community)s, so its bracket cannot be "
                "computed. Ask the association's staff to add it to the community's record "
                "(a census or official figure), then come back: nothing else is needed."
            )
            % {"community": community.name},
        )
    people = f"{community.population:,}"
    if in_bracket(category, community.population):
        return Rule(
            "population",
            True,
            _("%(community)s has %(people)s people: in this category's bracket (%(bracket)s).")
            % {"community": community.name, "people": people, "bracket": category.bracket_label()},
        )
    return Rule(
        "population",
        False,
        _(
            "%(community)s has %(people)s people; this category is for communities of "
            "%(bracket)s. Choose the category of your bracket instead."
        )
        % {"community": community.name, "people": people, "bracket": category.bracket_label()},
    )


def member_rules(member: Member, on: datetime.date | None = None) -> list[Rule]:
    """The rules that hold for the committee whatever the category: good standing and a
    formally recognised, active partnership."""
    reasons = standing_reasons(member, on)
    membership = next(reason for reason in reasons if reason.rule == "membership")
    rules = [Rule("membership", membership.ok, membership.text)]
    partnerships = recognised_partnerships(member)
    if partnerships:
        text = _("Formally recognised, active partnership: %(names)s.") % {
            "names": ", ".join(str(p) for p in partnerships)
        }
    else:
        text = _(
            "None of your communities has a formally recognised (sister city, twin town or "
            "partner city), active partnership in the registry. Record it in your portal, or "
            "ask staff to mark a revived one active."
        )
    rules.append(Rule("partnership", bool(partnerships), text))
    return rules


def check_eligibility(
    *,
    category: Category,
    member: Member,
    community: Community | None = None,
    on: datetime.date | None = None,
    base: list[Rule] | None = None,
) -> Eligibility:
    """Every rule for `member` (and `community`, its community the nomination is for) in
    `category` on `on`, each with a sentence saying whether it holds and why. `base` (from
    `member_rules`) saves asking again for each category of a page."""
    rules = list(base if base is not None else member_rules(member, on))
    if category.has_bracket:
        community = community or member.communities.order_by("pk").first()
        if community is None:
            rules.append(
                Rule(
                    "population",
                    False,
                    _("Your committee has no home community in the registry: ask staff."),
                )
            )
        else:
            rules.append(population_rule(category, community))
    return Eligibility(rules)
