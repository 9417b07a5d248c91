"""Judging helpers of the showcase that the review engine's pages rely on: the address of an
entry's derivative for reviewers (by its random storage name, never the entry's id or the
student's file name) and who may fetch it."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from twinning.core.authz import is_verified_staff
from twinning.review.models import Assignment, ReviewItem, Round


def judge_media_url(name: str) -> str:
    """Where reviewers fetch a derivative: its UUID storage name is the only key."""
    return reverse("showcase:judging_media", kwargs={"name": name}) if name else ""


def can_review_media(user: Any, entry: Any) -> bool:
    """Verified staff; while the entry is still eligible, a judge with a live assignment for
    an item of it in a round past draft, or the manager of a (local) round that holds it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_verified_staff(user):
        return True
    if not entry.is_eligible_for_judging():
        return False  # withdrawn, or consent withdrawn: out of judging at once
    content_type = ContentType.objects.get_for_model(entry, for_concrete_model=False)
    items = ReviewItem.objects.filter(content_type=content_type, object_id=str(entry.pk))
    if Assignment.objects.for_judge(user).filter(item__in=items).exists():
        return True
    return Round.objects.managed_by(user).filter(items__in=items).exists()
