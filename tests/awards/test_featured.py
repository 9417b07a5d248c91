"""The featured winner on the public home page (a public winner of the latest years, changing
every ISO week, the same all week) and a committee's honours on its dashboard."""

import datetime
import html
import re

import pytest
import time_machine
from django.utils import timezone

from tests.awards.helpers import SMALL, category, complete, eligible_member, make_cycle, png
from tests.factories import CommunityFactory
from twinning.awards.models import Cycle, Honour
from twinning.awards.services import add_attachment, start_nomination, submit_nomination
from twinning.core.authz import SYSTEM

MONDAY = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)  # ISO week 10 of 2026


def _text(response) -> str:
    """The page's words, tags removed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def _announced(year: int) -> Cycle:
    cycle = make_cycle(year, open=False)
    cycle.announced_at = timezone.now() - datetime.timedelta(days=1)
    cycle.save()
    return cycle


def _winner(year: int, title: str, cycle: Cycle | None = None, **fields) -> Honour:
    return Honour.objects.create(
        cycle=cycle,
        year=year,
        category=fields.pop("category", "Youth and Education"),
        outcome=fields.pop("outcome", Honour.Outcome.WINNER),
        committee="Riverton Twinning",
        community_name="Riverton",
        title=title,
        **fields,
    )


def _featured(client) -> str:
    """The featured block's words (tags removed), or "" when the home page has none."""
    page = _text(client.get("/"))
    found = re.search(r"Featured winner of the Annual Awards (.*?) Read the story", page)
    return found.group(1) if found else ""


@pytest.mark.django_db
def test_the_home_page_features_a_winner_with_its_story_and_photo(anonymous):
    cycle = make_cycle(2025)
    member = eligible_member()
    nomination = start_nomination(
        category=category(cycle, SMALL),
        member=member,
        community=member.communities.get(),
        title="Open doors",
        by=SYSTEM,
    )
    add_attachment(nomination=nomination, upload=png(), by=SYSTEM)
    submit_nomination(nomination=complete(nomination), by=SYSTEM)
    cycle.announced_at = timezone.now()
    cycle.save()
    honour = _winner(2025, "Open doors", cycle, nomination=nomination, story="We opened doors.")

    page = anonymous.get("/").content.decode()

    assert f'<a href="/awards/winners/{honour.pk}/">Open doors</a>' in page
    assert "We opened doors." in page
    photo = re.search(r'<img class="featured__photo" src="([^"]+)"', page).group(1)
    assert anonymous.get(photo)["Content-Type"].startswith("image/")


@pytest.mark.django_db
def test_the_home_page_features_nothing_without_a_public_winner(anonymous):
    _winner(2025, "Secret program", make_cycle(2025, open=False))
    _winner(2024, "A mention", _announced(2024), outcome=Honour.Outcome.HONOURABLE_MENTION)

    page = _text(anonymous.get("/"))

    assert "Featured winner" not in page
    assert "Secret program" not in page


@pytest.mark.django_db
def test_an_unannounced_cycle_winner_is_never_featured(anonymous):
    secret = make_cycle(2026, open=False)
    _winner(2026, "Secret program", secret)
    _winner(2025, "Open doors", _announced(2025))
    shown = set()

    for week in range(6):
        with time_machine.travel(MONDAY + datetime.timedelta(weeks=week)):
            shown.add(_featured(anonymous))

    assert len(shown) == 1
    assert "Open doors" in shown.pop()


@pytest.mark.django_db
def test_the_featured_winner_stays_all_week_and_changes_the_next(anonymous):
    cycle = _announced(2025)
    for title in ("First program", "Second program", "Third program"):
        _winner(2025, title, cycle)

    with time_machine.travel(MONDAY):
        monday = _featured(anonymous)
    with time_machine.travel(MONDAY + datetime.timedelta(days=6)):
        sunday = _featured(anonymous)
    with time_machine.travel(MONDAY + datetime.timedelta(weeks=1)):
        next_week = _featured(anonymous)
    shown = set()
    for week in range(3):
        with time_machine.travel(MONDAY + datetime.timedelta(weeks=week)):
            shown.add(_featured(anonymous).split(" Winner")[0].split(" Youth")[0])

    assert monday == sunday
    assert next_week != monday
    assert shown == {"First program", "Second program", "Third program"}


@pytest.mark.django_db
def test_a_new_year_of_winners_is_featured_at_once(anonymous):
    _winner(2015, "Old program", _announced(2015))
    with time_machine.travel(MONDAY):
        before = _featured(anonymous)

    _winner(2025, "New program", _announced(2025))  # what an announcement or an import writes
    with time_machine.travel(MONDAY):
        after = _featured(anonymous)

    assert "Old program" in before
    assert "New program" in after


@pytest.mark.django_db
def test_the_home_page_costs_the_same_for_few_and_many_winners(
    anonymous, django_assert_num_queries, django_assert_max_num_queries
):
    cycle = _announced(2025)
    _winner(2025, "First program", cycle)
    anonymous.get("/")  # the registry's figures and the association cached
    _winner(2025, "Second program", cycle)  # a new winner: the pick is made again
    with django_assert_max_num_queries(50) as picking_few:
        anonymous.get("/")
    with django_assert_max_num_queries(50) as cached_few:
        anonymous.get("/")
    for n in range(30):
        _winner(2020 + n % 6, f"Program {n}", _announced(2020 + n % 6) if n < 5 else None)

    with django_assert_num_queries(len(picking_few.captured_queries)):
        anonymous.get("/")
    with django_assert_num_queries(len(cached_few.captured_queries)):
        page = anonymous.get("/")

    assert len(cached_few.captured_queries) < len(picking_few.captured_queries)
    assert "Featured winner of the Annual Awards" in _text(page)


@pytest.mark.django_db
def test_an_honoured_committee_sees_its_awards_on_its_dashboard(
    springfield_member, committee_admin, other_committee_admin
):
    _winner(2024, "Bridges of books", _announced(2024), member=springfield_member)
    _winner(2026, "Not yet announced", make_cycle(2026, open=False), member=springfield_member)
    _winner(2023, "Another town's program", None, member=None)
    url = f"/portal/{springfield_member.slug}/dashboard/"

    page = _text(committee_admin.get(url))

    assert "Your committee's awards" in page
    assert "Bridges of books (Youth and Education (2024))" in page
    assert "Not yet announced" not in page
    assert "Another town's program" not in page
    assert other_committee_admin.get(url).status_code == 404


@pytest.mark.django_db
def test_a_committee_without_honours_has_no_awards_block(springfield_member, committee_admin):
    CommunityFactory()

    page = _text(committee_admin.get(f"/portal/{springfield_member.slug}/dashboard/"))

    assert "Your committee's awards" not in page
