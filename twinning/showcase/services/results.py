"""An edition's results: publishing them (exhibit, e-mails held for staff, certificates)
and the exhibit's indexing."""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.network.models import Member
from twinning.outbox.services import queue_email
from twinning.review.models import Decision
from twinning.showcase import emails_results
from twinning.showcase.models import Edition, Entry, ExhibitWork
from twinning.showcase.services.judging import (
    _entries_in_rounds,
    _require_staff,
    current_decisions,
    national_round,
)

EXHIBITED = (
    Decision.Outcome.WINNER,
    Decision.Outcome.FINALIST,
    Decision.Outcome.HONOURABLE_MENTION,
)


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
        .select_related(
            "student__user", "student__guardian", "student__community__country", "category"
        )
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
