"""The awards' test world: an open cycle, eligible committees (membership current, a sister
city), nominations through the services, and the awards' rows for the route matrix and the
service actor table."""

import datetime
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.activities.matrix import tiny_png
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from tests.factories.members import MembershipFactory
from twinning.awards.models import Category, Cycle, Nomination
from twinning.awards.services import create_cycle, start_nomination, submit_nomination
from twinning.core.authz import SYSTEM
from twinning.network.models import Community, Member, Partnership


def make_cycle(year: int = 2027, *, open: bool = True) -> Cycle:
    now = timezone.now()
    if open:
        opens, closes = now - datetime.timedelta(days=10), now + datetime.timedelta(days=30)
    else:
        opens, closes = now - datetime.timedelta(days=60), now - datetime.timedelta(days=1)
    return create_cycle(year=year, opens_at=opens, closes_at=closes, by=SYSTEM)


def make_eligible(member: Member, *, kind: str = Partnership.Kind.SISTER_CITY) -> Community:
    """A current membership and an active partnership of the member's first community with a
    new partner city; returns the partner."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=200),
    )
    home = member.communities.order_by("pk").first()
    partner = CommunityFactory()
    low, high = sorted([home, partner], key=lambda c: c.pk)
    PartnershipFactory(community_a=low, community_b=high, kind=kind)
    return partner


def eligible_member(population: int = 25_000, name: str = "") -> Member:
    community = CommunityFactory(population=population)
    member = MemberFactory(communities=[community], **({"name": name} if name else {}))
    admin = UserFactory()
    member.admins.add(admin)
    make_eligible(member)
    return member


def category(cycle: Cycle, slug: str) -> Category:
    return cycle.categories.get(slug=slug)


SMALL = "best-overall-program-up-to-25000"
VOLUNTEER = "volunteer-of-the-year"
ARTS = "innovation-in-arts-and-culture"


def complete(nomination: Nomination) -> Nomination:
    """Fill in every answer and the story (as the draft form would)."""
    nomination.story = "We built a library together."
    nomination.answers = dict.fromkeys(nomination.category.question_list(), "An answer.")
    nomination.save()
    return nomination


def submitted(cat: Category, member: Member, by: Any = SYSTEM, title: str = "") -> Nomination:
    nomination = start_nomination(
        category=cat,
        member=member,
        community=member.communities.order_by("pk").first(),
        title=title or f"Program of {member.name}",
        nominee_name="Ana Volunteer" if cat.subject == Category.Subject.PERSON else "",
        by=by,
    )
    complete(nomination)
    return submit_nomination(nomination=nomination, by=by)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), "image/png")


# --- The route matrix (tests/awards/matrix.py) ----------------------------------------------


def build_world(base: dict[str, Any]) -> dict[str, Any]:
    """An open cycle with Springfield's draft nomination (its committee is made eligible), a
    photo, an announced past cycle with a public honour."""
    from twinning.awards.models import Honour
    from twinning.awards.services import add_attachment

    member = Member.objects.get(slug=base["member"])
    make_eligible(member)
    cycle = make_cycle(2031)
    cat = category(cycle, SMALL)
    nomination = start_nomination(
        category=cat,
        member=member,
        community=member.communities.get(),
        title="Springfield's program",
        by=SYSTEM,
    )
    photo = add_attachment(nomination=nomination, upload=png(), by=SYSTEM)
    past = Cycle.objects.create(
        year=2020,
        title="Annual Awards 2020",
        opens_at=timezone.now() - datetime.timedelta(days=2000),
        closes_at=timezone.now() - datetime.timedelta(days=1900),
        announced_at=timezone.now() - datetime.timedelta(days=1800),
    )
    honour = Honour.objects.create(
        cycle=past,
        year=2020,
        category="Youth and Education",
        outcome=Honour.Outcome.WINNER,
        committee="Shelbyville Twinning",
        community_name="Shelbyville",
        title="A bridge of books",
    )
    return {
        "awards_cycle": cycle.year,
        "awards_category": cat.slug,
        "awards_category_pk": category(cycle, ARTS).pk,  # not taken: its start page is linked
        "awards_nomination": nomination.pk,
        "awards_photo": photo.pk,
        "awards_honour": honour.pk,
    }


# --- The service actor table (tests/core/test_service_actors.py) -----------------------------


def actor_world() -> SimpleNamespace:
    """An open cycle with an eligible committee's draft, a photo of it, and a closed cycle
    with a submitted nomination under review (what the services are called on)."""
    from twinning.awards.services import add_attachment, open_judging
    from twinning.review.interface import items_for

    member = eligible_member(name="Actor Committee")
    cycle = make_cycle(2040)
    draft = start_nomination(
        category=category(cycle, SMALL),
        member=member,
        community=member.communities.get(),
        title="Draft",
        by=SYSTEM,
    )
    photo = add_attachment(nomination=draft, upload=png(), by=SYSTEM)
    closed = make_cycle(2041)
    done = submitted(category(closed, SMALL), member)
    Cycle.objects.filter(pk=closed.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    closed.refresh_from_db()
    judged = category(closed, SMALL)
    open_judging(category=judged, by=SYSTEM)
    judged.refresh_from_db()
    item = items_for(judged.round, [done])[done.pk]
    return SimpleNamespace(
        member=member,
        cycle=cycle,
        category=category(cycle, ARTS),
        draft=draft,
        photo=photo,
        closed=closed,
        judged=judged,
        item=item,
        done=done,
    )


_S = "awards.services."
ACTOR_CASES = {
    f"{_S}cycles.create_cycle": lambda w: {
        "year": 2050,
        "opens_at": timezone.now(),
        "closes_at": timezone.now() + datetime.timedelta(days=5),
    },
    f"{_S}cycles.update_cycle": lambda w: {
        "cycle": w.awards.cycle,
        "opens_at": w.awards.cycle.opens_at,
        "closes_at": w.awards.cycle.closes_at + datetime.timedelta(days=1),
    },
    f"{_S}cycles.save_category": lambda w: {"category": w.awards.category},
    f"{_S}nominations.start_nomination": lambda w: {
        "category": w.awards.category,
        "member": w.awards.member,
        "community": w.awards.member.communities.get(),
        "title": "Rogue",
    },
    f"{_S}nominations.update_nomination": lambda w: {
        "nomination": w.awards.draft,
        "title": "Rogue",
        "story": "",
        "answers": {},
    },
    f"{_S}nominations.add_attachment": lambda w: {"nomination": w.awards.draft, "upload": png()},
    f"{_S}nominations.remove_attachment": lambda w: {"attachment": w.awards.photo},
    f"{_S}nominations.submit_nomination": lambda w: {"nomination": w.awards.draft},
    f"{_S}nominations.withdraw_nomination": lambda w: {"nomination": w.awards.draft},
    f"{_S}judging.open_judging": lambda w: {"category": w.awards.judged},
    f"{_S}judging.decide_nomination": lambda w: {
        "category": w.awards.judged,
        "item": w.awards.item,
        "outcome": "winner",
    },
    f"{_S}results.announce_results": lambda w: {"cycle": w.awards.closed},
    f"{_S}archive.import_honours": lambda w: {"lines": _past_winner_csv(w.awards.member)},
}


def _past_winner_csv(member: Member) -> list[str]:
    """A valid file of one past winner of the member's community (nothing refuses it)."""
    community = member.communities.get()
    return [
        "year,category,community,country,outcome",
        f'2001,Arts,"{community.name}",{community.country_id},winner',
    ]
