"""Judging an edition on the review engine: the national round, the committees' local
rounds, opening judging, deciding entries."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff, require
from twinning.core.services import log_activity
from twinning.network.models import Member
from twinning.review.models import Decision, ReviewItem, Round
from twinning.review.services import (
    add_items,
    change_round_state,
    create_round,
    record_decision,
    reschedule_round,
)
from twinning.showcase.models import Edition, Entry, JudgingRound

NATIONAL_ROUND_WEEKS = 6


LOCAL_ROUND_WEEKS = 3


def _require_staff(by: Any) -> None:
    """Verified staff (or SYSTEM) run an edition's judging and results."""
    require(by, "showcase.manage_edition")


def _require_admin_of(by: Any, member: Member) -> None:
    """The member's committee admins, verified staff, or SYSTEM."""
    if by is SYSTEM or is_verified_staff(by):
        return
    if not member.admins.filter(pk=getattr(by, "pk", None)).exists():
        raise NotAllowed


def _category_slug(entry: Entry) -> str:
    return entry.category.slug


def _round_window(edition: Edition, weeks: int) -> tuple[datetime.datetime, datetime.datetime]:
    opens = max(edition.closes_at, timezone.now().replace(microsecond=0))
    return opens, opens + datetime.timedelta(weeks=weeks)


def national_round(edition: Edition) -> JudgingRound | None:
    return JudgingRound.objects.national().filter(edition=edition).select_related("round").first()


def judging_has_opened(edition: Edition) -> bool:
    return (
        JudgingRound.objects.filter(edition=edition)
        .exclude(round__state=Round.State.DRAFT)
        .exists()
    )


@transaction.atomic
def ensure_national_round(*, edition: Edition, by: Any) -> JudgingRound:
    """The edition's national round, created in draft on first use (the review engine's
    default rubric: originality, composition or craft, interpretation of the theme)."""
    _require_staff(by)
    Edition.objects.select_for_update().get(pk=edition.pk)
    return national_round(edition) or _create_national_round(edition, by)


def _create_national_round(edition: Edition, by: Any) -> JudgingRound:
    opens, closes = _round_window(edition, NATIONAL_ROUND_WEEKS)
    round = create_round(
        name=_("Showcase %(year)s: national round") % {"year": edition.year},
        model=Entry,
        opens_at=opens,
        closes_at=closes,
        by=by,
    )
    judging = JudgingRound.objects.create(edition=edition, round=round)
    log_activity(
        edition, "showcase.judging.national_round_created", by=by, data={"round": round.pk}
    )
    return judging


@transaction.atomic
def create_local_round(*, edition: Edition, member: Member, by: Any) -> JudgingRound:
    """A member committee's local round for the entries from its communities, forwarding up
    to `edition.local_forward_limit` entries per category to the national round. Only before
    judging opens. Raises NotAllowed unless `by` administers the member (or is staff), and
    ValidationError when judging has opened or the committee already has its round."""
    _require_admin_of(by, member)
    Edition.objects.select_for_update().get(pk=edition.pk)
    if judging_has_opened(edition):
        raise ValidationError(
            _("Judging has already opened: a local round must be set up before it opens.")
        )
    if JudgingRound.objects.filter(edition=edition, member=member).exists():
        raise ValidationError(_("Your committee already runs a local round for this edition."))
    national = national_round(edition)
    if national is None:
        # The local round forwards to the national one, so the platform creates that first
        # (a committee admin may not create the association's round).
        national = _create_national_round(edition, SYSTEM)
    opens, closes = _round_window(edition, LOCAL_ROUND_WEEKS)
    round = create_round(
        name=_("Showcase %(year)s: local round of %(member)s")
        % {"year": edition.year, "member": member.name},
        model=Entry,
        owner_member=member,
        opens_at=opens,
        closes_at=closes,
        forward_limit=edition.local_forward_limit,
        next_round=national.round,
        by=by,
    )
    judging = JudgingRound.objects.create(edition=edition, round=round, member=member)
    log_activity(
        edition,
        "showcase.judging.local_round_created",
        by=by,
        data={"round": round.pk, "member": member.pk},
    )
    return judging


def _local_round_by_community(edition: Edition) -> dict[int, JudgingRound]:
    """Community id -> the local round that judges its entries (lowest member id first when
    a community belongs to two committees that both run one)."""
    rounds = {}
    for judging in (
        JudgingRound.objects.local()
        .filter(edition=edition)
        .select_related("round")
        .order_by("-member_id")
    ):
        for community_id in judging.member.communities.values_list("pk", flat=True):
            rounds[community_id] = judging
    return rounds


def _entries_in_rounds(edition: Edition) -> set[str]:
    return set(
        ReviewItem.objects.filter(round__showcase_round__edition=edition).values_list(
            "object_id", flat=True
        )
    )


@transaction.atomic
def open_judging(*, edition: Edition, by: Any) -> dict[str, int]:
    """After the deadline: put every entry eligible for judging (submitted, work ready,
    consent) in its community's local round, or else in the national round, and open the
    rounds. Running it again adds entries that became eligible since. Returns the number of
    entries added per round name."""
    _require_staff(by)
    Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.has_closed():
        raise ValidationError(_("Judging opens after the edition closes for entries."))
    if edition.results_published:
        raise ValidationError(_("The results are published: judging is over."))
    national = ensure_national_round(edition=edition, by=by)
    local = _local_round_by_community(edition)
    already = _entries_in_rounds(edition)
    batches: dict[int, tuple[JudgingRound, list[Entry]]] = {}
    entries = (
        Entry.objects.eligible_for_judging()
        .filter(edition=edition)
        .select_related("category", "student__community")
        .order_by("pk")
    )
    for entry in entries:
        if str(entry.pk) in already:
            continue
        judging = local.get(entry.student.community_id, national)
        batches.setdefault(judging.pk, (judging, []))[1].append(entry)
    added = {}
    for judging, batch in batches.values():
        add_items(round=judging.round, objects=batch, group_of=_category_slug, by=by)
        added[judging.round.name] = len(batch)
    now = timezone.now().replace(microsecond=0)
    for judging in JudgingRound.objects.filter(edition=edition).select_related("round"):
        if judging.round.state == Round.State.DRAFT:
            # A round set up before the deadline moved (or before it passed) opens now.
            if judging.round.opens_at > now:
                length = judging.round.closes_at - judging.round.opens_at
                reschedule_round(round=judging.round, opens_at=now, closes_at=now + length, by=by)
            change_round_state(round=judging.round, state=Round.State.OPEN, by=by)
    log_activity(edition, "showcase.judging.opened", by=by, data={"added": added})
    return added


def current_decisions(round: Round) -> dict[int, Decision]:
    """Item id -> its current (latest) decision, for the items of a round."""
    decisions: dict[int, Decision] = {}
    for decision in Decision.objects.filter(item__round=round).order_by("decided_at", "pk"):
        decisions[decision.item_id] = decision
    return decisions


@transaction.atomic
def decide_entry(
    *, edition: Edition, item: ReviewItem, outcome: str, place: int | None, note: str = "", by: Any
) -> Decision:
    """Record staff's decision for an item of the national round: a winner's place (1st, 2nd
    or 3rd, one entry each per category), a finalist, a mention, or not selected. Only before
    the results are published."""
    _require_staff(by)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    national = national_round(edition)
    if national is None or item.round_id != national.round_id:
        raise NotAllowed
    if edition.results_published:
        raise ValidationError(_("The results are published: decisions can no longer change."))
    if outcome not in Decision.Outcome.values or outcome == Decision.Outcome.ADVANCED:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if outcome == Decision.Outcome.WINNER:
        if place not in (1, 2, 3):
            raise ValidationError({"place": _("A winner needs a place: 1st, 2nd or 3rd.")})
        for other_id, decision in current_decisions(national.round).items():
            if (
                other_id != item.pk
                and decision.outcome == Decision.Outcome.WINNER
                and decision.place == place
                and decision.item.group == item.group
            ):
                raise ValidationError(
                    {
                        "place": _("Entry %(code)s already has this place in this category.")
                        % {"code": decision.item.code}
                    }
                )
    else:
        place = None
    return record_decision(item=item, outcome=outcome, place=place, note=note, by=by)


def local_round_for(edition: Edition, member: Member) -> JudgingRound | None:
    return (
        JudgingRound.objects.filter(edition=edition, member=member).select_related("round").first()
    )


def entries_of_member(edition: Edition, member: Member) -> Any:
    return Entry.objects.filter(
        edition=edition, student__community__in=member.communities.all()
    ).filter(~Q(state=Entry.State.DRAFT))
