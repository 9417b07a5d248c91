"""The review engine as a program app sees it (CONVENTIONS C3): the one module awards, grants
and exchanges import from `twinning.review` (import-linter's contract 'Programs reach the
review engine through its interface' fails the build otherwise).

Two halves:

- what the engine asks of the thing under review (`Reviewable`, `Work`,
  `register_reviewable`; defined in `registry.py`);
- what a program may ask of the engine: create and run rounds, put its objects under
  review, build the reviewer pool, assign, read progress and the ranking, record and read
  decisions. These are the engine's own services and queries, re-exported here unchanged so
  that a program never reaches around them into the engine's models or tables.

Every call that changes state takes `by` (the acting user or `SYSTEM`) and checks it, as
every service does.
"""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models

from twinning.review.models import Criterion, Decision, Reviewer, ReviewItem, Round
from twinning.review.queries import (
    GroupProgress,
    RankedItem,
    RankingPageRows,
    RankingView,
    hydrate,
    progress,
    ranking,
    round_version,
)
from twinning.review.queries import _cached as cached_value
from twinning.review.registry import Reviewable, Work, register_reviewable, reviewable_models
from twinning.review.services import (
    DEFAULT_CRITERIA,
    AssignmentSummary,
    add_items,
    add_reviewer,
    advance_top,
    assign_reviews,
    can_manage_round,
    change_round_state,
    create_round,
    deactivate_reviewer,
    declare_conflict,
    invite_reviewer,
    record_decision,
    reschedule_round,
    save_scores,
)

Outcome = Decision.Outcome
RoundState = Round.State


def items_for(round: Round, objects: Iterable[models.Model]) -> dict[int, ReviewItem]:
    """The round's review items for these objects, by the object's primary key (one query).
    Objects not under review in the round are absent."""
    objects = list(objects)
    if not objects:
        return {}
    model = type(objects[0])
    found = ReviewItem.objects.filter(
        round=round,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id__in=[str(obj.pk) for obj in objects],
    )
    return {int(item.object_id): item for item in found}


def current_decisions(round: Round) -> dict[int, Decision]:
    """Each item's current (latest) decision in the round, by review item id (one query)."""
    decisions: dict[int, Decision] = {}
    found = Decision.objects.filter(item__round=round).order_by("item_id", "-decided_at", "-pk")
    for decision in found:
        decisions.setdefault(decision.item_id, decision)
    return decisions


def object_of(item: ReviewItem) -> Any:
    """The program's object behind a review item."""
    return item.content_object


__all__ = [
    "DEFAULT_CRITERIA",
    "AssignmentSummary",
    "Criterion",
    "Decision",
    "GroupProgress",
    "Outcome",
    "RankedItem",
    "ReviewItem",
    "Reviewable",
    "Reviewer",
    "Round",
    "RoundState",
    "Work",
    "add_items",
    "add_reviewer",
    "advance_top",
    "assign_reviews",
    "can_manage_round",
    "change_round_state",
    "create_round",
    "current_decisions",
    "deactivate_reviewer",
    "declare_conflict",
    "invite_reviewer",
    "items_for",
    "object_of",
    "progress",
    "ranking",
    "record_decision",
    "register_reviewable",
    "reschedule_round",
    "reviewable_models",
    "save_scores",
]


def can_review(user: Any, obj: models.Model) -> bool:
    """Whether `user` may see `obj` as its reviewer: a live assignment for an item of it in a
    round past draft, or the manager of a round that holds it (what a program's media view
    asks before serving a file of the work to a judge)."""
    from twinning.review.models import Assignment

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    items = ReviewItem.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    )
    if Assignment.objects.for_judge(user).filter(item__in=items).exists():
        return True
    return Round.objects.managed_by(user).filter(items__in=items).exists()


__all__ += ["can_review"]


def ranking_rows(round: Round, group: str | None = None) -> Sequence[RankedItem]:
    """The round's ranking (as `ranking`) as a sequence for Django's Paginator: its length from
    the cached summary, each slice hydrated on its own with the items' object ids, so a page
    costs the same whatever the round's size (a program's ranking page with decisions)."""
    return _ProgramRankingRows(RankingView(round), group)


class _ProgramRankingRows(RankingPageRows):
    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        return hydrate(self.view.round, self.view.rows(self.group, start, stop), full_items=True)


__all__ += ["ranking_rows"]


class RankedObject(NamedTuple):
    """One row of a round's ranking, light: the program object's primary key, its rank (None
    when unscored) and normalised score."""

    object_id: int
    rank: int | None
    normalised: float | None


def ranked_objects(round: Round, group: str | None = None) -> list[RankedObject]:
    """The round's whole ranking (as `ranking`, best first, unscored last) as light tuples,
    no model instance: for a program that must walk every ranked object (a funding proposal
    under a budget) and shows only a page of them (`ranking_rows` hydrates a page of review
    items; this never hydrates). Cached beside the engine's table, under the same key (the
    round's results token changes whenever an item is added or a score changes; an item's
    object never changes): one cache read once the round's state has been seen. The caller
    keeps only the objects it still has."""
    view = RankingView(round)

    def compute() -> list[tuple[int | None, int | None, float | None]]:
        # aligned with the table (None for an item gone since), so groups slice alike
        objects = dict(ReviewItem.objects.filter(round=round).values_list("pk", "object_id"))
        return [
            (int(objects[row[0]]) if row[0] in objects else None, row[6], row[5])
            for row in view.table()
        ]

    found = cached_value(f"{view.prefix}:objects", compute)
    low, high = view.span(group)
    return [
        RankedObject(object_id, rank, score)
        for object_id, rank, score in found[low:high]
        if object_id is not None
    ]


__all__ += ["RankedObject", "ranked_objects"]


def ranking_version(round: Round) -> str:
    """A key part that changes whenever the round's ranking may (its results token, the
    reviews asked per item and the rubric; one query): a program caches what it derives from
    the whole ranking under it, as the engine caches the ranking itself."""
    return round_version(round)


__all__ += ["ranking_version"]
