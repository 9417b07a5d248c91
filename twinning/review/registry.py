"""The registry of reviewable models and the small interface they offer (CONVENTIONS C3).

Program apps import these names from `twinning.review.interface`, which re-exports them
beside the engine's calls.

A program app (showcase, and later awards, grants, exchanges) makes its reviewed model
implement `Reviewable` and registers it once, in its AppConfig.ready():

    from twinning.review.interface import register_reviewable
    register_reviewable(Entry)

The engine stores a `ReviewItem` per reviewed object (a generic relation to it), and asks the
object only these questions. Nothing else about the object reaches a reviewer: the engine's
templates show `review_title()` and render `review_work()`; identity stays in the program app.
"""

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.db import models


@dataclass(frozen=True)
class Work:
    """The work as a reviewer sees it: a template of the program app and its context.

    The context must hold nothing that identifies the author (BLIND-1): no names,
    community, school, age, original file names or metadata; media by derivative URL only.
    """

    template: str
    context: dict = field(default_factory=dict)


@runtime_checkable
class Reviewable(Protocol):
    """The small interface a reviewed thing offers the engine."""

    def review_title(self) -> str:
        """A title safe to show a blind reviewer (the work's own title, never the author)."""

    def review_work(self) -> Work:
        """How to show the work to a reviewer."""

    def conflict_keys(self) -> set[str]:
        """Keys a reviewer must not share with this item, e.g. {"community:12", "member:3"}.

        The engine compares them with a reviewer's keys (their community, their member
        organisation, that community's sister cities) and with declared conflicts.
        """

    def review_eligibility(self) -> tuple[bool, str]:
        """Whether the item may be reviewed now, and if not, why (e.g. consent missing)."""


_REGISTRY: dict[str, type[models.Model]] = {}


def register_reviewable(model: type[models.Model]) -> None:
    """Declare that `model` implements Reviewable (checked here, once, at start-up)."""
    for name in ("review_title", "review_work", "conflict_keys", "review_eligibility"):
        if not callable(getattr(model, name, None)):
            raise TypeError(f"{model.__name__} does not implement Reviewable.{name}()")
    _REGISTRY[model._meta.label_lower] = model


def reviewable_models() -> dict[str, type[models.Model]]:
    return dict(_REGISTRY)
