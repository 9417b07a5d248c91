"""A cycle of the awards and its categories: created with the default categories (Best Overall
Program in five population brackets, and the program and people awards), then configured by
staff (dates, the banquet, each category's questions, bracket, rubric and blind flag)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.awards.eligibility import DEFAULT_BRACKETS
from twinning.awards.models import Category, Cycle
from twinning.core.authz import require
from twinning.core.services import log_activity

PROGRAM_QUESTIONS = "\n".join(
    [
        "What did the program do this year, and with which partner city?",
        "Who took part, and how many people did it reach?",
        "What changed because of it, in both communities?",
    ]
)
PERSON_QUESTIONS = "\n".join(
    [
        "What has the nominee done for the sister-city program, and for how long?",
        "Give one example of their work and what it changed.",
    ]
)

# (name, subject, questions); the Best Overall Program comes first, once per bracket.
OTHER_CATEGORIES = [
    ("Innovation in Arts and Culture", Category.Subject.PROGRAM, PROGRAM_QUESTIONS),
    ("Business, Trade and Professional Exchange", Category.Subject.PROGRAM, PROGRAM_QUESTIONS),
    ("Humanitarian Assistance", Category.Subject.PROGRAM, PROGRAM_QUESTIONS),
    ("Youth and Education", Category.Subject.PROGRAM, PROGRAM_QUESTIONS),
    ("Volunteer of the Year", Category.Subject.PERSON, PERSON_QUESTIONS),
    ("Youth Leadership", Category.Subject.PERSON, PERSON_QUESTIONS),
]


def _require_staff(by: Any) -> None:
    require(by, "awards.manage_awards")


def _bracket_name(low: int | None, high: int | None) -> str:
    if low is None:
        return f"Best Overall Program, up to {high:,}"
    if high is None:
        return f"Best Overall Program, over {low - 1:,}"
    return f"Best Overall Program, {low:,}-{high:,}"


def seed_default_categories(cycle: Cycle) -> list[Category]:
    """The default categories of a new cycle (called by `create_cycle`, after its check)."""
    made = []
    for order, (low, high) in enumerate(DEFAULT_BRACKETS):
        name = _bracket_name(low, high)
        made.append(
            Category(
                cycle=cycle,
                name=name,
                slug=slugify(name)[:80],
                subject=Category.Subject.PROGRAM,
                population_min=low,
                population_max=high,
                questions=PROGRAM_QUESTIONS,
                order=order,
            )
        )
    for order, (name, subject, questions) in enumerate(OTHER_CATEGORIES, start=len(made)):
        made.append(
            Category(
                cycle=cycle,
                name=name,
                slug=slugify(name)[:80],
                subject=subject,
                questions=questions,
                order=order,
            )
        )
    for category in made:
        category.full_clean()
        category.save()
    return made


@transaction.atomic
def create_cycle(*, year: int, opens_at: Any, closes_at: Any, title: str = "", by: Any) -> Cycle:
    """A new cycle with the default categories. Raises ValidationError for a year that
    already has one or for dates in the wrong order."""
    _require_staff(by)
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("There is already an awards cycle for %(year)s.") % {"year": year}}
        )
    cycle = Cycle(
        year=year,
        title=title.strip() or _("Annual Awards %(year)s") % {"year": year},
        opens_at=opens_at,
        closes_at=closes_at,
    )
    cycle.full_clean()
    cycle.save()
    categories = seed_default_categories(cycle)
    log_activity(cycle, "awards.cycle.created", by=by, data={"categories": len(categories)})
    return cycle


@transaction.atomic
def update_cycle(
    *, cycle: Cycle, opens_at: Any, closes_at: Any, banquet: Any = None, by: Any
) -> Cycle:
    """Change a cycle's dates and its banquet (an event of kind banquet, or none)."""
    _require_staff(by)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if banquet is not None and banquet.kind != "banquet":
        raise ValidationError({"banquet": _("Choose an awards banquet.")})
    cycle.opens_at, cycle.closes_at, cycle.banquet = opens_at, closes_at, banquet
    cycle.full_clean()
    cycle.save()
    log_activity(
        cycle,
        "awards.cycle.updated",
        by=by,
        data={"closes_at": cycle.closes_at.isoformat(), "banquet": getattr(banquet, "pk", None)},
    )
    return cycle


def _valid_criterion(spec: Any) -> bool:
    if not isinstance(spec, dict) or not str(spec.get("name", "")).strip():
        return False
    try:
        return float(spec.get("weight", 1)) > 0
    except (TypeError, ValueError):
        return False


@transaction.atomic
def save_category(*, category: Category, by: Any) -> Category:
    """Save a category staff configured (new or changed); its rubric must be a list of
    criteria with a name and a positive weight. Refused once judging of it has started."""
    _require_staff(by)
    if category.round_id is not None:
        raise ValidationError(_("Judging of this category has started: it can no longer change."))
    criteria = category.criteria or []
    if not isinstance(criteria, list) or not all(_valid_criterion(c) for c in criteria):
        raise ValidationError(
            {"criteria": _("Give each criterion a name and a weight above zero.")}
        )
    category.slug = category.slug or slugify(category.name)[:80]
    category.full_clean()
    category.save()
    log_activity(category, "awards.category.saved", by=by, data={"name": category.name})
    return category
