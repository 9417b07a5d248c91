"""Writes for judging an edition and its results (C4, C5): the national round and the
committees' local rounds (built on the review engine), opening judging, deciding winners,
publishing the results (exhibit, e-mails held for staff, certificates), and the travelling
exhibit's bookings. Every service is atomic, keyword-only and leaves an audit entry."""

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, is_verified_staff, require
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.network.models import Member
from twinning.outbox.services import queue_email
from twinning.review.models import Decision, ReviewItem, Round
from twinning.review.services import (
    add_items,
    change_round_state,
    create_round,
    record_decision,
    reschedule_round,
)
from twinning.showcase import emails_results
from twinning.showcase.models import (
    Booking,
    Edition,
    Entry,
    ExhibitWork,
    JudgingRound,
)

NATIONAL_ROUND_WEEKS = 6
LOCAL_ROUND_WEEKS = 3
BOOKING_MONTHS_AHEAD = 36
EXHIBITED = (
    Decision.Outcome.WINNER,
    Decision.Outcome.FINALIST,
    Decision.Outcome.HONOURABLE_MENTION,
)


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


# --- Rounds --------------------------------------------------------------------------------


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


# --- Decisions and results -----------------------------------------------------------------


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


def results_of(edition: Edition) -> dict[int, Decision]:
    """Entry id -> current decision in the national round (any outcome)."""
    national = national_round(edition)
    if national is None:
        return {}
    return {
        int(decision.item.object_id): decision
        for decision in current_decisions(national.round).values()
    }


def judged_entries(edition: Edition) -> list[Entry]:
    ids = [int(pk) for pk in _entries_in_rounds(edition)]
    return list(
        Entry.objects.filter(pk__in=ids, student__isnull=False)
        .select_related("student__user", "student__community__country", "category")
        .order_by("pk")
    )


@transaction.atomic
def publish_results(*, edition: Edition, by: Any) -> Edition:
    """Publish an edition's results: the exhibit shows its winners and finalists (each where
    publication consent and approval hold), and e-mails to students, guardians and committees
    are stored in the outbox *held* for staff to read before sending; certificates are made
    in the background once this commits. Raises ValidationError if already published or if
    no category has a winner."""
    _require_staff(by)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.results_published:
        raise ValidationError(_("These results are already published."))
    decisions = results_of(edition)
    if not any(d.outcome == Decision.Outcome.WINNER for d in decisions.values()):
        raise ValidationError(_("Decide at least one winner before publishing the results."))
    edition.results_published_at = timezone.now()
    edition.save(update_fields=["results_published_at", "updated_at"])
    for entry_id, decision in decisions.items():
        if decision.outcome in EXHIBITED:
            ExhibitWork.objects.update_or_create(
                entry_id=entry_id,
                defaults={
                    "edition": edition,
                    "outcome": decision.outcome,
                    "place": decision.place,
                },
            )
    queued = _queue_result_emails(edition, decisions, by)
    log_activity(
        edition,
        "showcase.results.published",
        by=by,
        data={"exhibited": sum(d.outcome in EXHIBITED for d in decisions.values()), **queued},
    )
    from twinning.showcase.tasks_results import generate_certificates_task

    transaction.on_commit(partial(generate_certificates_task.enqueue, edition_id=edition.pk))
    return edition


def _outcome_text(decision: Decision | None) -> str:
    if decision is None or decision.outcome == Decision.Outcome.NOT_SELECTED:
        return _("taking part (thank you!)")
    if decision.outcome == Decision.Outcome.WINNER:
        return _("winner, place %(place)s") % {"place": decision.place}
    return str(decision.get_outcome_display())


def _queue_result_emails(
    edition: Edition, decisions: dict[int, Decision], by: Any
) -> dict[str, int]:
    exhibit_url = absolute_url(reverse("showcase:exhibit_edition", kwargs={"year": edition.year}))
    certificates_url = absolute_url(reverse("showcase:my_certificates"))
    counts = {"students": 0, "guardians": 0, "committees": 0}
    per_community: dict[int, list[str]] = {}
    for entry in judged_entries(edition):
        student = entry.student
        context = {
            "first_name": student.first_name,
            "edition": str(edition),
            "title": entry.title,
            "category": entry.category.name,
            "outcome": _outcome_text(decisions.get(entry.pk)),
            "exhibit_url": exhibit_url,
            "certificates_url": certificates_url,
        }
        queue_email(
            to=student.user.email,
            template=emails_results.RESULTS_STUDENT,
            context=context,
            recipient=student.user,
            hold=True,
            related=entry,
            by=by,
            key=f"showcase.results.{edition.pk}.{entry.pk}.student",
        )
        counts["students"] += 1
        if student.guardian_email:
            queue_email(
                to=student.guardian_email,
                template=emails_results.RESULTS_GUARDIAN,
                context=context,
                hold=True,
                related=entry,
                by=by,
                key=f"showcase.results.{edition.pk}.{entry.pk}.guardian",
            )
            counts["guardians"] += 1
        decision = decisions.get(entry.pk)
        if decision is not None and decision.outcome in EXHIBITED:
            per_community.setdefault(student.community_id, []).append(
                f"- {entry.category.name}: {entry.title} ({_outcome_text(decision)})"
            )
        else:
            per_community.setdefault(student.community_id, [])
    members = Member.objects.filter(communities__in=list(per_community)).distinct()
    for member in members.prefetch_related("admins", "communities"):
        lines = [
            line
            for community in member.communities.all()
            for line in per_community.get(community.pk, [])
        ]
        for admin in member.admins.all():
            queue_email(
                to=admin.email,
                template=emails_results.RESULTS_COMMITTEE,
                context={
                    "member": member.name,
                    "edition": str(edition),
                    "honours": "\n".join(lines) or _("No work from your communities this time."),
                    "exhibit_url": exhibit_url,
                },
                recipient=admin,
                hold=True,
                related=member,
                by=by,
                key=f"showcase.results.{edition.pk}.member.{member.pk}.{admin.pk}",
            )
            counts["committees"] += 1
    return counts


@transaction.atomic
def set_work_indexing(*, work: ExhibitWork, indexable: bool, by: Any) -> ExhibitWork:
    """Let search engines index a work's page (or stop them): the student or staff decide."""
    entry = work.entry
    owner = entry.student is not None and entry.student.user_id == getattr(by, "pk", None)
    if not (owner or by is SYSTEM or is_verified_staff(by)):
        raise NotAllowed
    work.indexable = indexable
    work.save(update_fields=["indexable", "updated_at"])
    log_activity(work, "showcase.exhibit.indexing_changed", by=by, data={"indexable": indexable})
    return work


# --- The travelling exhibit ----------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def book_exhibit(
    *, edition: Edition, member: Member, month: datetime.date, venue: str = "", by: Any
) -> Booking:
    """Book the edition's finalist set for a calendar month for a member committee. The
    edition row is locked while checking, so two committees asking for the same month at once
    get one booking and one clear refusal; the partial unique constraint holds it anyway.
    Raises NotAllowed unless `by` administers the member, ValidationError for a month taken,
    past, too far ahead, or before the results are published."""
    _require_admin_of(by, member)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    month = first_of_month(month)
    if not edition.results_published:
        raise ValidationError(_("The exhibit can be booked once the results are published."))
    today = association_today()
    if month < first_of_month(today):
        raise ValidationError({"month": _("Choose this month or a later one.")})
    if month > first_of_month(today) + relativedelta(months=BOOKING_MONTHS_AHEAD):
        raise ValidationError(
            {"month": _("Bookings open at most %(n)s months ahead.") % {"n": BOOKING_MONTHS_AHEAD}}
        )
    taken = _("%(month)s is already booked; choose another month.") % {
        "month": month.strftime("%Y-%m")
    }
    if Booking.objects.active().filter(edition=edition, month=month).exists():
        raise ValidationError({"month": taken})
    booking = Booking(
        edition=edition, member=member, month=month, venue=venue.strip(), booked_by=acting_user(by)
    )
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise ValidationError({"month": taken}) from error
    log_activity(booking, "showcase.booking.created", by=by, data={"month": month.isoformat()})
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by: Any) -> Booking:
    _require_admin_of(by, booking.member)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at", "updated_at"])
        log_activity(booking, "showcase.booking.cancelled", by=by)
    return booking


def bookable_members(user: Any) -> Iterable[Member]:
    return Member.objects.administered_by(user).order_by("name")


def local_round_for(edition: Edition, member: Member) -> JudgingRound | None:
    return (
        JudgingRound.objects.filter(edition=edition, member=member).select_related("round").first()
    )


def entries_of_member(edition: Edition, member: Member) -> Any:
    return Entry.objects.filter(
        edition=edition, student__community__in=member.communities.all()
    ).filter(~Q(state=Entry.State.DRAFT))
