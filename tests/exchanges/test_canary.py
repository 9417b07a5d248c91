"""Canary scan of the students' restricted details (medical, allergies, passport, sponsor form
number) and of their incidents (what happened, who was involved; section 3): every exchange
page (each URL pattern of the `exchanges` namespace, filled with the world's objects), every
page linked from those and from the role's home, downloads included, is requested as a host
family, a sending contact (through the link), another committee, the hosting committee's
admin and local coordinator, the student (their own page), another student, the guardian
(their page, opened by answering the consent link) and a member of the public. The values
never appear;
the hosting committee's exchange coordinator and welfare staff do see them, so the scan is
known to look in the right places."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.accounts.welfare import reauthenticated, stale, welfare_staff
from tests.conftest import _client_for
from tests.events.test_summit_canary import _crawl, _leaks
from tests.exchanges import helpers as h
from tests.exchanges.monitoring_helpers import CANARY_INCIDENT, CANARY_PEOPLE, extend
from tests.factories import MemberFactory, UserFactory
from tests.matrix import all_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield_member):
    # Section 3: the student placed, and an incident whose text is a canary too.
    return extend(h.build(springfield_member.slug))


# The restricted details and the incident's text: the same readers, the same refusals.
CANARIES = (*h.CANARIES, CANARY_INCIDENT, CANARY_PEOPLE)


def _paths(world) -> list[str]:
    values = {
        "slug": world.member.slug,
        "pk": None,
        "quota": world.quota.pk,
        "token": "not-a-token",
    }
    pks = [
        world.student.pk,
        world.family.pk,
        world.photo.pk,
        world.school.pk,
        world.coordinator.pk,
        world.document.pk,
        world.contact.pk,
        world.placement.pk,
        world.incident.pk,
    ]
    paths = []
    for route in all_routes():
        if not route.name.startswith("exchanges:"):
            continue
        params = re.findall(r"\(\?P<(\w+)>", route.regex)
        for pk in pks:
            kwargs = {p: (pk if p == "pk" else values[p]) for p in params}
            try:
                paths.append(reverse(route.name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(set(paths))


def _contact_client(world) -> Client:
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [world.contact.pk]
    session.save()
    return client


def _guardian_client(world) -> Client:
    """The guardian, their session bound to the consent they answered through a new link (the
    world's student was accepted on a consent given without one)."""
    from twinning.core.authz import SYSTEM
    from twinning.exchanges.services.students import resend_consent_link
    from twinning.outbox.models import OutboxMessage

    resend_consent_link(student=world.student, by=SYSTEM)
    message = OutboxMessage.objects.filter(template="exchanges.guardian_consent").latest("pk")
    (link,) = message.secret_links.values()
    client = Client()
    client.get("/" + link.split("/", 3)[3])
    client.post("/exchanges/consent/", {"participation": "on", "medical": "on", "photos": "on"})
    return client


def test_restricted_details_never_reach_the_refused_roles(world, committee_admin):
    other_admin = UserFactory(email="admin@elsewhere.example")
    MemberFactory(name="Elsewhere").admins.add(other_admin)
    another_student = h.nominate(world.quota, email="milan@kragujevac.example")
    roles = {
        "guardian": _guardian_client(world),
        "another_student": _client_for(another_student.person.user),
        "host_family": _client_for(world.family.user),
        "sending_contact": _contact_client(world),
        "committee_admin_of_another_committee": _client_for(other_admin),
        "hosting_committee_admin": committee_admin,
        "local_coordinator": _client_for(world.coordinator.user),
        "the_student_themself": _client_for(world.student.person.user),
        "public": _client_for(UserFactory(email="someone.else@example.org")),
        # P-07: verified staff read them only with the staff welfare capability ...
        "verified_staff_without_welfare": reauthenticated(
            _client_for(UserFactory(email="no-welfare@example.org", is_staff=True), verified=True)
        ),
        # ... and only after a fresh re-authentication (B12), as the coordinator.
        "welfare_staff_not_reauthenticated": stale(
            _client_for(welfare_staff(email="not-fresh@example.org"), verified=True)
        ),
        "exchange_coordinator_not_reauthenticated": stale(
            _client_for(
                h.coordinator(
                    world.member, email="stale-xc@springfield.example", exchange=True
                ).user
            )
        ),
    }
    paths = _paths(world)

    crawled = {role: _crawl(client, paths) for role, client in roles.items()}
    leaks = {role: _leaks(pages, CANARIES) for role, pages in crawled.items()}

    assert leaks == {role: {} for role in roles}
    # The scan reached the new pages with what they show.
    assert b"Withdraw" in crawled["guardian"]["/exchanges/guardian/"]
    assert b"Your coordinator" in crawled["the_student_themself"]["/exchanges/mine/"]
    assert b"Your coordinator" not in crawled["another_student"]["/exchanges/mine/"]


def test_the_scan_finds_the_values_where_they_belong(world):
    exchange = h.coordinator(world.member, email="xc@springfield.example", exchange=True)
    welfare = reauthenticated(_client_for(welfare_staff(), verified=True))

    for client in (welfare, reauthenticated(_client_for(exchange.user))):
        found = _leaks(_crawl(client, _paths(world)), CANARIES)
        assert set().union(*found.values()) == set(CANARIES)


def test_the_sending_contact_reaches_their_student_in_the_scan(world):
    pages = _crawl(_contact_client(world), _paths(world))

    assert f"/exchanges/students/{world.student.pk}/" in pages
    assert b"Ana Jovanovi" in pages[f"/exchanges/students/{world.student.pk}/"]
