"""The Atom feed of the winners: announced and imported honours only, newest year first, each
entry linking to the winner's page with its category, year and community; linked from the
archive."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.awards.helpers import make_cycle
from twinning.awards.models import Cycle, Honour

ATOM = "{http://www.w3.org/2005/Atom}"


def _honour(cycle: Cycle | None, year: int, community: str, **fields) -> Honour:
    return Honour.objects.create(
        cycle=cycle,
        year=year,
        category=fields.pop("category", "Youth and Education"),
        outcome=fields.pop("outcome", Honour.Outcome.WINNER),
        committee=f"{community} Sister Cities",
        community_name=community,
        title=fields.pop("title", f"The program of {community}"),
        **fields,
    )


def _announced(year: int) -> Cycle:
    cycle = make_cycle(year, open=False)
    cycle.announced_at = timezone.now() - datetime.timedelta(days=1)
    cycle.save()
    return cycle


def _entries(response) -> list[ET.Element]:
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own feed


@pytest.mark.django_db
def test_the_feed_lists_announced_and_imported_winners_newest_year_first(anonymous):
    _honour(_announced(2024), 2024, "Springfield", story="A <b>library</b> by the river.")
    _honour(None, 2019, "Shelbyville")

    response = anonymous.get("/awards/winners/feed/")
    entries = _entries(response)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Youth and Education (2024): Springfield Sister Cities, Springfield",
        "Youth and Education (2019): Shelbyville Sister Cities, Shelbyville",
    ]
    assert "&lt;b&gt;library&lt;/b&gt;" in entries[0].find(f"{ATOM}summary").text


@pytest.mark.django_db
def test_a_feed_entry_links_to_the_winner_page_with_category_year_and_community(anonymous):
    honour = _honour(_announced(2024), 2024, "Springfield", category="Humanitarian Assistance")

    entry = _entries(anonymous.get("/awards/winners/feed/"))[0]

    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/awards/winners/{honour.pk}/"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
        "Humanitarian Assistance",
        "2024",
        "Springfield",
    ]


@pytest.mark.django_db
def test_an_unannounced_cycle_winners_are_not_in_the_feed(anonymous):
    _honour(make_cycle(2025, open=False), 2025, "Secretville")
    _honour(_announced(2024), 2024, "Springfield")

    entries = _entries(anonymous.get("/awards/winners/feed/"))

    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Youth and Education (2024): Springfield Sister Cities, Springfield"
    ]


@pytest.mark.django_db
def test_the_archive_links_the_feed_in_its_head_and_on_the_page(anonymous):
    page = anonymous.get("/awards/winners/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Annual Awards winners (Atom feed)" href="/awards/winners/feed/">' in page
    )
    assert "Follow the winners in a feed reader (Atom)" in page


@pytest.mark.django_db
def test_the_feed_answers_reads_only(anonymous):
    assert anonymous.post("/awards/winners/feed/").status_code == 405
