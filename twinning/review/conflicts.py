"""Conflicts of interest, computed from the registry: a reviewer's keys are "user:<pk>", their
community, their member and that community's sister cities (every partnership that has not
ended), plus the keys they declared; an item's keys come from the reviewed object. A reviewer
and an item conflict when they share a key, or when a conflict with that item was declared."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from twinning.network.models import Partnership
from twinning.review.assignment import ItemSpec, ReviewerSpec
from twinning.review.models import Assignment, DeclaredConflict, Reviewer, ReviewItem


def community_key(pk: int) -> str:
    return f"community:{pk}"


def member_key(pk: int) -> str:
    return f"member:{pk}"


def user_key(pk: int) -> str:
    return f"user:{pk}"


def reviewer_specs(reviewers: Iterable[Reviewer]) -> dict[int, ReviewerSpec]:
    """The conflict picture of each reviewer (3 queries, whatever their number)."""
    reviewers = list(reviewers)
    communities = {r.community_id for r in reviewers if r.community_id}
    partners: dict[int, set[int]] = defaultdict(set)
    if communities:
        pairs = (
            Partnership.objects.exclude(status=Partnership.Status.ENDED)
            .filter(Q(community_a__in=communities) | Q(community_b__in=communities))
            .values_list("community_a_id", "community_b_id")
        )
        for a, b in pairs:
            partners[a].add(b)
            partners[b].add(a)
    declared_keys: dict[int, set[str]] = defaultdict(set)
    declared_items: dict[int, set[int]] = defaultdict(set)
    ids = [r.pk for r in reviewers]
    for reviewer_id, item_id, key in DeclaredConflict.objects.filter(
        reviewer_id__in=ids
    ).values_list("reviewer_id", "item_id", "key"):
        if item_id:
            declared_items[reviewer_id].add(item_id)
        else:
            declared_keys[reviewer_id].add(key)
    # A revoked pair was taken away on purpose: automatic assignment never brings it back.
    for reviewer_id, item_id in Assignment.objects.filter(
        reviewer_id__in=ids, revoked_at__isnull=False
    ).values_list("reviewer_id", "item_id"):
        declared_items[reviewer_id].add(item_id)
    specs = {}
    for r in reviewers:
        keys = {user_key(r.user_id)} | declared_keys[r.pk]
        if r.community_id:
            keys.add(community_key(r.community_id))
            keys |= {community_key(p) for p in partners[r.community_id]}
        if r.member_id:
            keys.add(member_key(r.member_id))
        specs[r.pk] = ReviewerSpec(
            id=r.pk, keys=frozenset(keys), excluded_items=frozenset(declared_items[r.pk])
        )
    return specs


def item_spec(item: ReviewItem) -> ItemSpec:
    return ItemSpec(id=item.pk, keys=frozenset(item.conflict_keys or ()))


def conflict_reason(item: ReviewItem, reviewer: Reviewer) -> str | None:
    """Why this reviewer may not review this item (None when they may). Revocations do not
    count here: a manager may hand an item back by hand."""
    spec = reviewer_specs([reviewer])[reviewer.pk]
    shared = set(item.conflict_keys or ()) & spec.keys
    if shared:
        return sorted(shared)[0].split(":", 1)[0]
    if DeclaredConflict.objects.filter(reviewer=reviewer, item=item).exists():
        return "declared"
    return None
