"""The demo's Young Artists and Authors Showcase, built through the services at a stage:

- open: this year's edition, open for entries, with a few hundred entries (students, guardian
  consent, generated images, texts and short audio: `seed_students_and_entries`);
- judging: the deadline passed, the committee admin's committee runs a local round, judging is
  open, demo judges are assigned and about half of the scores are in;
- results: every score in, the local round's best forwarded, winners (1st, 2nd, 3rd per
  category) and finalists decided, approved and published: the exhibit is populated and the
  results e-mails wait in the outbox, held for staff.

Idempotent: each step looks at what exists and does only what is missing; asking for an
earlier stage than the one reached changes nothing."""

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from twinning.core.dates import association_today
from twinning.demo import personas
from twinning.network.models import Member
from twinning.review.models import Assignment, Decision, Round
from twinning.review.queries import ranking
from twinning.review.services import add_reviewer, advance_top, assign_reviews, save_scores
from twinning.showcase.certificates import issue_certificates
from twinning.showcase.models import Edition, Entry, JudgingRound
from twinning.showcase.services import (
    approve_entry,
    create_edition,
    create_local_round,
    decide_entry,
    judging_has_opened,
    national_round,
    open_judging,
    publish_results,
    update_edition,
)

STAGES = ("open", "judging", "results")
DEMO_SLUG = "showcase-demo"
THEME = "Bridges between us"
FINALISTS_PER_CATEGORY = 5


def seed_showcase(*, stage: str, staff: Any, entries: int = 300) -> Edition:
    """Bring the demo edition to `stage` (see the module docstring); returns it."""
    if stage not in STAGES:
        raise ValueError(f"unknown showcase stage {stage!r}")
    edition = _edition(staff)
    if not edition.has_closed():
        from twinning.demo.showcase_entries import seed_students_and_entries

        seed_students_and_entries(edition=edition, count=entries, staff=staff)
    if stage == "open":
        return edition
    edition = _close(edition, staff)
    _judging(edition, staff)
    _score(edition, share=Decimal("0.5") if stage == "judging" else Decimal(1))
    if stage == "results":
        _results(edition, staff)
    edition.refresh_from_db()
    return edition


def _edition(staff: Any) -> Edition:
    existing = Edition.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return create_edition(
        year=association_today().year,
        slug=DEMO_SLUG,
        theme=THEME,
        rules="Original work made this year by the student alone.",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        cutoff_date=association_today(),
        by=staff,
    )


def _close(edition: Edition, staff: Any) -> Edition:
    """The deadline passes (staff move it, as they would for a demo), before judging opens."""
    if edition.has_closed():
        return edition
    member = _committee()
    if member is not None and not JudgingRound.objects.filter(edition=edition).exists():
        admin = member.admins.order_by("pk").first()
        create_local_round(edition=edition, member=member, by=admin or staff)
    now = timezone.now().replace(microsecond=0)
    return update_edition(
        edition=edition,
        opens_at=min(edition.opens_at, now - datetime.timedelta(days=2)),
        closes_at=now - datetime.timedelta(hours=1),
        by=staff,
    )


def _committee() -> Member | None:
    return Member.objects.filter(admins__email=personas.COMMITTEE_ADMIN.email).first()


def _judge(persona: personas.Persona) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=persona.email, defaults={"full_name": persona.full_name}
    )
    if created:
        user.set_password(personas.DEMO_PASSWORD)
        user.save()
    return user


def _judging(edition: Edition, staff: Any) -> None:
    if not judging_has_opened(edition):
        open_judging(edition=edition, by=staff)
    national = national_round(edition)
    for persona in personas.JUDGES:
        add_reviewer(round=national.round, user=_judge(persona), by=staff)
    local = JudgingRound.objects.local().filter(edition=edition).select_related("round").first()
    if local is not None:
        admin = local.member.admins.order_by("pk").first() or staff
        for persona in personas.LOCAL_JUDGES:
            add_reviewer(round=local.round, user=_judge(persona), by=admin)
        if local.round.state == Round.State.OPEN:
            assign_reviews(round=local.round, by=admin)
    if national.round.state == Round.State.OPEN:
        assign_reviews(round=national.round, by=staff)


def _value(code: str, criterion: int) -> int:
    """A stable score from 3 to 10 for an item and criterion (the demo looks varied)."""
    digest = hashlib.sha256(f"{code}:{criterion}".encode()).digest()
    return 3 + digest[0] % 8


def _score(edition: Edition, *, share: Decimal) -> None:
    """Judges submit scores for `share` of their assignments (ordered by code)."""
    rounds = [j.round for j in JudgingRound.objects.filter(edition=edition).select_related("round")]
    for round in rounds:
        if not round.accepts_scores():
            continue
        criteria = list(round.criteria.all())
        assignments = list(
            Assignment.objects.live()
            .filter(item__round=round)
            .select_related("item", "reviewer__user")
            .order_by("item__code", "pk")
        )
        todo = assignments[: int(len(assignments) * share)]
        for assignment in todo:
            if assignment.submitted_at is not None:
                continue
            save_scores(
                assignment=assignment,
                scores={c.pk: _value(assignment.item.code, c.order) for c in criteria},
                comment_to_staff="",
                submit=True,
                version=assignment.version,
                by=assignment.reviewer.user,
            )


def _results(edition: Edition, staff: Any) -> None:
    if edition.results_published:
        return
    national = national_round(edition).round
    for local in JudgingRound.objects.local().filter(edition=edition).select_related("round"):
        if not local.round.items.filter(forwarded_to__isnull=False).exists():
            admin = local.member.admins.order_by("pk").first() or staff
            advance_top(
                round=local.round, n=edition.local_forward_limit, to_round=national, by=admin
            )
    assign_reviews(round=national, by=staff)
    _score(edition, share=Decimal(1))
    decided = {d.item_id for d in Decision.objects.filter(item__round=national)}
    for category in edition.categories.all():
        rows = [r for r in ranking(national, group=category.slug) if r.normalised is not None]
        for position, row in enumerate(rows[: 3 + FINALISTS_PER_CATEGORY], start=1):
            if row.item.pk in decided:
                continue
            outcome = Decision.Outcome.WINNER if position <= 3 else Decision.Outcome.FINALIST
            decide_entry(
                edition=edition,
                item=row.item,
                outcome=outcome,
                place=position if position <= 3 else None,
                by=staff,
            )
            entry = Entry.objects.get(pk=row.item.object_id)
            if entry.approved_at is None:
                approve_entry(entry=entry, by=staff)
    publish_results(edition=edition, by=staff)
    # The demo may run without a task worker: make the certificates now (idempotent).
    issue_certificates(edition=edition)
