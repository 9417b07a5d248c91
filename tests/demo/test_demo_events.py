"""`seed_demo` builds the events through the services (issue 8, section 6): this year's annual
conference with its summit and banquet, full with a waiting list, a regional conference and a
webinar series of three past and three upcoming webinars; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import CommunityFactory, CountryFactory, PartnershipFactory
from twinning.accounts.models import User
from twinning.core.models import ActivityLog
from twinning.demo import personas
from twinning.events.models import (
    Attendee,
    BanquetTable,
    Event,
    Honoree,
    Order,
    RunOfShowItem,
    SeatAssignment,
    Session,
    SummitApplication,
    SummitChaperone,
    Team,
    TeamMember,
    WaitingListEntry,
)
from twinning.members.models import AssociationRegion, Invoice
from twinning.youth.services import has_consent

ATTENDEES = 220


def _registry():
    """Springfield and a dozen well-connected communities in several countries (the demo
    makes member committees of some of them)."""
    us = CountryFactory(code="US", name="United States")
    springfield = CommunityFactory(name="Springfield", country=us, region="Illinois")
    CommunityFactory(name="Nairobi", country=CountryFactory(code="KE", name="Kenya"))
    for code in ("FR", "DE", "JP", "BR", "GB", "IT", "ES", "AU", "KE", "JP", "FR", "DE"):
        PartnershipFactory(
            community_a=springfield, community_b=CommunityFactory(country=CountryFactory(code=code))
        )
    return springfield


def _seed() -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        "--skip-import",
        "--stage",
        "open",
        "--entries",
        "2",
        "--attendees",
        str(ATTENDEES),
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (a full seeding takes a while), inside a transaction rolled
    back at the end; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        _registry()
        yield _seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(seeded, db):
    return seeded


def _conference() -> Event:
    return Event.objects.get(kind=Event.Kind.CONFERENCE)


def test_the_demo_conference_is_published_with_its_summit_banquet_and_programme(seeded):
    conference = _conference()

    assert conference.published_at is not None
    assert conference.programme_published_at is not None
    assert conference.time_zone == "America/Chicago"
    assert conference.latitude is not None and conference.longitude is not None
    assert conference.starts_at > conference.created_at
    parts = {part.kind: part for part in conference.parts.all()}
    assert set(parts) == {Event.Kind.SUMMIT, Event.Kind.BANQUET}
    assert all(part.published_at is not None for part in parts.values())
    assert Session.objects.filter(event=conference).count() >= 24
    names = set(conference.tickets.values_list("name", flat=True))
    assert {"Full conference", "Day pass"} <= names
    assert parts[Event.Kind.SUMMIT].tickets.filter(for_youth=True).exists()
    assert parts[Event.Kind.BANQUET].tickets.filter(name="Banquet guest").exists()
    assert conference.questions.filter(kind="consent", required=True).exists()


def test_the_demo_conference_is_full_of_delegations_and_individuals_with_a_waiting_list(seeded):
    conference = _conference()
    holding = Attendee.objects.filter(event__in=[conference, *conference.parts.all()])
    active = holding.holding_seats()

    assert active.count() >= 200
    assert conference.capacity == active.count()
    assert Order.objects.filter(event=conference, is_delegation=True).count() >= 4
    assert Order.objects.filter(event=conference, is_delegation=False).exists()
    assert active.values("order__member").distinct().count() >= 4
    countries = active.values_list("order__member__communities__country", flat=True).distinct()
    assert len(set(countries) - {None}) >= 3
    waiting = WaitingListEntry.objects.filter(event=conference, state="waiting")
    assert waiting.count() >= 3
    assert {entry.party_size for entry in waiting} <= {1, 2, 3, 4}
    assert holding.filter(state=Attendee.State.CANCELLED).count() >= 3
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_the_demo_summit_has_checked_chaperones_a_nurse_and_rooms(seeded):
    summit = _conference().parts.get(kind=Event.Kind.SUMMIT)

    chaperones = SummitChaperone.objects.filter(event=summit)
    assert chaperones.filter(role="nurse").count() == 1
    assert chaperones.filter(role="chaperone", background_check_on__isnull=False).count() >= 3
    assert summit.summit_rooms.count() >= 4


def test_the_demo_summit_has_students_with_consents_rooms_and_teams(seeded):
    summit = _conference().parts.get(kind=Event.Kind.SUMMIT)
    applications = SummitApplication.objects.filter(attendee__ticket__event=summit)

    assert applications.count() >= 20
    confirmed = applications.filter(attendee__state=Attendee.State.CONFIRMED)
    assert confirmed.count() >= 18
    assert applications.filter(attendee__state=Attendee.State.APPLIED).count() == 2
    for application in confirmed:
        assert has_consent(application.person, "summit", "participation")
    assert any(not has_consent(a.person, "summit", "photos") for a in confirmed)
    in_rooms = confirmed.filter(attendee__summit_room__isnull=False).count()
    assert in_rooms >= confirmed.count() - 1  # one student declared no gender: placed by hand
    for kind in (Team.Kind.DIPLOMACY, Team.Kind.SERVICE):
        assert TeamMember.objects.filter(kind=kind).count() == confirmed.count()
    countries = confirmed.values_list("attendee__community__country", flat=True).distinct()
    assert len(set(countries)) >= 3


def test_the_demo_banquet_seats_every_guest_and_presents_its_honorees(seeded):
    conference = _conference()
    banquet = conference.parts.get(kind=Event.Kind.BANQUET)

    assert BanquetTable.objects.filter(event=banquet).count() >= 20
    guests = Attendee.objects.filter(
        event__in=[conference, banquet], state__in=["approved", "confirmed"]
    )
    assert SeatAssignment.objects.filter(event=banquet).count() == guests.count()
    honours = list(Honoree.objects.filter(event=banquet).values_list("honour", flat=True))
    assert any(h.startswith("Best Overall Program (population") for h in honours)
    assert RunOfShowItem.objects.filter(event=banquet, kind="award").count() == len(honours)


def test_the_demo_regional_conference_is_organised_by_the_committee_admin(seeded):
    regional = Event.objects.get(kind=Event.Kind.REGIONAL)

    assert regional.published_at is not None
    region = AssociationRegion.objects.get(pk=regional.region_id)
    assert "Illinois" in region.subdivisions
    assert region.coordinators.filter(email=personas.COMMITTEE_ADMIN.email).exists()
    assert ActivityLog.objects.filter(action="members.region.created").count() == 1
    assert f"{personas.COMMITTEE_ADMIN.email} also coordinates the Midwest region" in seeded


def test_the_demo_webinars_are_three_past_with_recordings_and_three_upcoming(seeded):
    webinars = Event.objects.filter(kind=Event.Kind.WEBINAR)

    past, upcoming = list(webinars.past()), list(webinars.upcoming())
    assert len(past) == 3 and len(upcoming) == 3
    assert all(w.partner_id and w.series_id and w.published_at for w in past + upcoming)
    assert len({w.partner_id for w in past}) == 3
    for webinar in past:
        assert webinar.recording_url.startswith("https://")
        assert webinar.attendees.count() >= 5
        assert webinar.attendance.exists()


def test_seeding_the_demo_twice_adds_no_events_registrations_or_users(seeded):
    counts = (
        Event.objects.count(),
        Attendee.objects.count(),
        WaitingListEntry.objects.count(),
        User.objects.count(),
        AssociationRegion.objects.count(),
        BanquetTable.objects.count(),
    )

    _seed()

    assert (
        Event.objects.count(),
        Attendee.objects.count(),
        WaitingListEntry.objects.count(),
        User.objects.count(),
        AssociationRegion.objects.count(),
        BanquetTable.objects.count(),
    ) == counts


def test_the_public_events_page_and_the_conference_page_show_the_demo_data(seeded, client):
    conference = _conference()

    listing = client.get("/events/")
    page = client.get(conference.get_absolute_url())

    assert listing.status_code == 200
    assert conference.title in listing.content.decode()
    assert page.status_code == 200
    assert "America&#x27;s Center Convention Complex" in page.content.decode()
