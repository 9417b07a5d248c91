"""Announcing a cycle's results: the honours enter the public archive, e-mails to the winners
and to every other nominated committee wait in the outbox *held* for staff, the winners are
added to the cycle's banquet as honorees, and certificates are made in the background."""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.awards import emails
from twinning.awards.models import Category, Cycle, Honour, Nomination
from twinning.awards.services.judging import _require_staff
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.outbox.services import queue_email
from twinning.review.interface import Decision, Outcome, current_decisions, items_for

HONOURED: dict[str, str] = {
    Outcome.WINNER: Honour.Outcome.WINNER,
    Outcome.HONOURABLE_MENTION: Honour.Outcome.HONOURABLE_MENTION,
}


def decisions_of(category: Category) -> dict[int, Decision]:
    """Nomination id -> its current decision in the category's round (3 queries)."""
    if category.round is None:
        return {}
    nominations = list(Nomination.objects.filter(category=category))
    items = items_for(category.round, nominations)
    current = current_decisions(category.round)
    return {pk: current[item.pk] for pk, item in items.items() if item.pk in current}


def banquet_reference(cycle: Cycle, nomination: Nomination) -> str:
    """The stable key of a winner's honour at the banquet (adding it twice changes nothing)."""
    return f"awards:{cycle.year}:{nomination.pk}"


@transaction.atomic
def announce_results(*, cycle: Cycle, by: Any) -> Cycle:
    """Announce the cycle: honours (winners and honourable mentions) become public in the
    archive; e-mails to every nominated committee are held in the outbox for staff; winners
    become honorees of the cycle's banquet (when staff chose one), each with a presentation in
    its run of show; certificates follow once this commits. Raises ValidationError when
    already announced or without any winner."""
    _require_staff(by)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_announced:
        raise ValidationError(_("These results are already announced."))
    categories = list(cycle.categories.select_related("round").filter(round__isnull=False))
    decided = {category.pk: decisions_of(category) for category in categories}
    if not any(d.outcome == Outcome.WINNER for per in decided.values() for d in per.values()):
        raise ValidationError(_("Choose at least one winner before announcing the results."))
    cycle.announced_at = timezone.now()
    cycle.save(update_fields=["announced_at", "updated_at"])
    counts = {"honours": 0, "emails": 0, "honorees": 0}
    archive = absolute_url(reverse("awards:archive"))
    for category in categories:
        nominations = (
            Nomination.objects.counting()
            .filter(category=category)
            .select_related("member", "community", "partner")
            .prefetch_related("member__admins")
            .order_by("pk")
        )
        for nomination in nominations:
            decision = decided[category.pk].get(nomination.pk)
            outcome = HONOURED.get(decision.outcome) if decision is not None else None
            if outcome is not None:
                _honour(cycle, category, nomination, outcome)
                counts["honours"] += 1
                if outcome == Honour.Outcome.WINNER and cycle.banquet_id:
                    _seat_honoree(cycle, category, nomination, by)
                    counts["honorees"] += 1
            counts["emails"] += _queue_result(cycle, category, nomination, outcome, archive, by)
    if counts["honorees"] and cycle.banquet is not None:
        from twinning.events.services.banquet import add_presentations

        # Each new honoree gets their presentation in the banquet's run of show.
        add_presentations(event=cycle.banquet, by=by)
    log_activity(cycle, "awards.results.announced", by=by, data=counts)
    from twinning.awards.tasks import issue_certificates_task

    transaction.on_commit(partial(issue_certificates_task.enqueue, cycle_id=cycle.pk))
    return cycle


def _honour(cycle: Cycle, category: Category, nomination: Nomination, outcome: str) -> Honour:
    honour, _created = Honour.objects.update_or_create(
        nomination=nomination,
        defaults={
            "cycle": cycle,
            "year": cycle.year,
            "category": category.name,
            "outcome": outcome,
            "member": nomination.member,
            "committee": nomination.member.name,
            "community": nomination.community,
            "community_name": nomination.community.name,
            "partner_name": nomination.partner.name if nomination.partner else "",
            "nominee_name": nomination.nominee_name,
            "title": nomination.title,
            "story": nomination.story,
        },
    )
    return honour


def _seat_honoree(cycle: Cycle, category: Category, nomination: Nomination, by: Any) -> None:
    from twinning.events.services.banquet import add_honoree

    if cycle.banquet is None:
        return
    add_honoree(
        event=cycle.banquet,
        name=nomination.nominee_name or nomination.member.name,
        honour=f"{category.name} ({cycle.year})",
        member=nomination.member,
        source="awards",
        reference=banquet_reference(cycle, nomination),
        by=by,
    )


def _queue_result(  # noqa: PLR0917 (a private helper of one caller)
    cycle: Cycle,
    category: Category,
    nomination: Nomination,
    outcome: str | None,
    archive: str,
    by: Any,
) -> int:
    sent = 0
    for admin in nomination.member.admins.all():
        context: dict[str, Any] = {
            "member": nomination.member.name,
            "cycle": str(cycle),
            "title": nomination.title,
            "category": category.name,
            "archive_url": archive,
        }
        if outcome is not None:
            template = emails.RESULT_HONOURED
            context.update(
                outcome=str(Honour.Outcome(outcome).label).lower(),
                nomination_url=absolute_url(nomination.get_absolute_url()),
                banquet=_("You are invited to the awards banquet: %(event)s.")
                % {"event": cycle.banquet.title}
                if cycle.banquet is not None and outcome == Honour.Outcome.WINNER
                else "",
            )
        else:
            template = emails.RESULT_NOMINEE
        queue_email(
            to=admin.email,
            template=template,
            context=context,
            recipient=admin,
            hold=True,
            related=nomination,
            by=by,
            key=f"awards.results.{cycle.pk}.{nomination.pk}.{admin.pk}",
        )
        sent += 1
    return sent
