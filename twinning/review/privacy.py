"""The review engine's part in forgetting a person (PRIV: erasure and retention). An app
whose objects were reviewed calls this, never the review tables: the items keep their
scores, decisions and codes (the ranking stays true), but lose what could identify anyone."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from twinning.core.privacy import subjects_condition
from twinning.review.models import ReviewItem


def forget_items_of(*, model: type[models.Model], object_ids: Iterable[Any]) -> int:
    """Every review item of these objects, in any round (forwarded copies too), loses its
    title and conflict keys. Returns how many items were changed."""
    # The items' generic key keeps proxy models apart (for_concrete_model=False), so here too.
    condition = subjects_condition([(model, object_ids)], for_concrete_model=False)
    return ReviewItem.objects.filter(condition).update(title=_("(erased)"), conflict_keys=[])
