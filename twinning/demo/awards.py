"""Demo awards (issue 9, through the services, SYSTEM as the actor; idempotent): four yearly
cycles, the last three announced into the winners archive and this year's at the results
stage (announced, winners seated at the conference's banquet when there is one, e-mails held
in the outbox). Each cycle: the eligible committees nominate their program in the Best Overall
bracket of their population (or Innovation in Arts and Culture when the registry has no
population) and every third one a volunteer; the demo judges score every nomination; the best
of each category wins and the second gets an honourable mention."""

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from twinning.awards.eligibility import in_bracket, member_rules
from twinning.awards.models import Category, Cycle, Nomination
from twinning.awards.services import (
    announce_results,
    create_cycle,
    decide_nomination,
    open_judging,
    start_nomination,
    submit_nomination,
    update_cycle,
    update_nomination,
)
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.demo import personas
from twinning.events.models import Event
from twinning.network.models import Member
from twinning.review.interface import add_reviewer, assign_reviews, ranking, save_scores
from twinning.review.models import Assignment

YEARS = 4
STORIES = [
    "Our students and theirs painted a mural together over two summers.",
    "A trade mission of twelve firms led to three joint ventures.",
    "After the flood, our committee shipped water filters and sent two engineers.",
    "Forty teachers exchanged classrooms for a term.",
]


def _eligible_members(limit: int = 24) -> list[Member]:
    found = []
    for member in Member.objects.prefetch_related("communities").order_by("pk"):
        if all(rule.ok for rule in member_rules(member)) and member.communities.exists():
            found.append(member)
            if len(found) == limit:
                break
    return found


def _category_for(cycle: Cycle, member: Member) -> Category:
    community = member.communities.order_by("pk").first()
    population = community.population if community is not None else None
    if population is not None:
        for category in cycle.categories.filter(subject=Category.Subject.PROGRAM):
            if category.has_bracket and in_bracket(category, population):
                return category
    return cycle.categories.get(slug="innovation-in-arts-and-culture")


def _nominate(cycle: Cycle, member: Member, category: Category, n: int, staff: Any) -> None:
    if Nomination.objects.filter(category=category, member=member).exists():
        return
    person = category.subject == Category.Subject.PERSON
    nomination = start_nomination(
        category=category,
        member=member,
        community=member.communities.earliest("pk"),
        title=f"{'Volunteer' if person else 'Program'} of {member.name} ({cycle.year})",
        nominee_name=f"Volunteer {n} of {member.name}" if person else "",
        by=staff,
    )
    update_nomination(
        nomination=nomination,
        title=nomination.title,
        story=STORIES[n % len(STORIES)],
        answers=dict.fromkeys(category.question_list(), STORIES[(n + 1) % len(STORIES)]),
        nominee_name=nomination.nominee_name,
        by=staff,
    )
    submit_nomination(nomination=nomination, by=staff)


def _judge(persona: personas.Persona) -> Any:
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        email=persona.email, defaults={"full_name": persona.full_name}
    )
    if created:
        user.set_password(personas.DEMO_PASSWORD)
        user.save()
    return user


def _value(code: str, order: int) -> int:
    return 3 + hashlib.sha256(f"{code}:{order}".encode()).digest()[0] % 8


def _judge_and_decide(category: Category, staff: Any) -> None:
    round = open_judging(category=category, by=staff)
    for persona in personas.JUDGES:
        add_reviewer(round=round, user=_judge(persona), by=staff)
    assign_reviews(round=round, by=staff)
    criteria = list(round.criteria.all())
    for assignment in (
        Assignment.objects.live()
        .filter(item__round=round, submitted_at__isnull=True)
        .select_related("item", "reviewer__user")
    ):
        save_scores(
            assignment=assignment,
            scores={c.pk: _value(assignment.item.code, c.order) for c in criteria},
            submit=True,
            version=assignment.version,
            by=assignment.reviewer.user,
        )
    for place, ranked in enumerate(ranking(round)):
        outcome = ("winner", "honourable_mention")[place] if place < 2 else "not_selected"
        decide_nomination(category=category, item=ranked.item, outcome=outcome, by=staff)


def seed_cycle(year: int, members: list[Member], *, staff: Any = SYSTEM) -> Cycle:
    """One cycle taken to its announcement (nothing done twice)."""
    now = timezone.now().replace(microsecond=0)
    cycle = Cycle.objects.filter(year=year).first() or create_cycle(
        year=year,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        by=staff,
    )
    if cycle.is_announced:
        return cycle
    if not cycle.has_closed():
        update_cycle(
            cycle=cycle,
            opens_at=min(cycle.opens_at, now - datetime.timedelta(days=30)),
            closes_at=now + datetime.timedelta(days=30),
            by=staff,
        )
        volunteer = cycle.categories.get(slug="volunteer-of-the-year")
        for n, member in enumerate(members):
            _nominate(cycle, member, _category_for(cycle, member), n, staff)
            if n % 3 == 0:
                _nominate(cycle, member, volunteer, n, staff)
        banquet = None
        if year == association_today().year:
            banquet = Event.objects.filter(kind=Event.Kind.BANQUET).order_by("-starts_at").first()
        update_cycle(
            cycle=cycle,
            opens_at=cycle.opens_at,
            closes_at=now - datetime.timedelta(hours=1),
            banquet=banquet,
            by=staff,
        )
    for category in cycle.categories.filter(round__isnull=True):
        if Nomination.objects.counting().filter(category=category).exists():
            _judge_and_decide(category, staff)
    announce_results(cycle=cycle, by=staff)
    return cycle


def seed_awards(*, staff: Any = SYSTEM, years: int = YEARS) -> list[Cycle]:
    """This year's cycle at the results stage and the years before it in the archive."""
    members = _eligible_members()
    if not members:
        return []
    this_year = association_today().year
    cycles = []
    for offset, year in enumerate(range(this_year - years + 1, this_year + 1)):
        # Committees rotate, so the archive shows different winners each year.
        rotated = members[offset % len(members) :] + members[: offset % len(members)]
        cycles.append(seed_cycle(year, rotated[: max(6, len(members) - 2)], staff=staff))
    return cycles
