"""N+1 guards (C20): every exchange page that lists things costs the same number of queries
for one item and for three."""

import datetime

import pytest
from django.test import Client

from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.factories import CommunityFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.exchanges.services import families, staff

pytestmark = pytest.mark.django_db


def _many(member, count: int):
    """`count` of everything a list shows: places with contacts and students, families with
    household, references and visits, schools, coordinators with training."""
    season = h.season()
    quotas = [h.quota(member, season, partner=CommunityFactory()) for _ in range(count)]
    contacts = [h.contact(q, email=f"c{i}@abroad.example") for i, q in enumerate(quotas)]
    for i, (quota, contact) in enumerate(zip(quotas, contacts, strict=True)):
        h.nominate(quota, contact, email=f"s{i}@abroad.example")
    coordinator = h.coordinator(member)
    for i in range(count):
        family = h.screened_family(member, coordinator, email=f"f{i}@springfield.example")
        families.approve_family(family=family, by=SYSTEM)
        school = staff.add_school(
            member=member,
            name=f"School {i}",
            address="x",
            contact_name="y",
            contact_email=f"school{i}@example.org",
            by=SYSTEM,
        )
        staff.file_acceptance_letter(
            school=school, upload=h.pdf_upload(), signed_on=datetime.date(2026, 1, 1), by=SYSTEM
        )
    for i in range(count - 1):
        h.coordinator(member, email=f"more{i}@springfield.example")
    return season, contacts


def _contact_client(contacts) -> Client:
    client = Client()
    session = client.session
    session["exchanges_contacts"] = [c.pk for c in contacts]
    session.save()
    client.get("/exchanges/sending/")  # the session's first touch is not the page's cost
    return client


PAGES = {
    "staff_home": ("staff", "/staff/exchanges/", 7),  # + the welfare capability (2)
    "season": ("staff", "/staff/exchanges/seasons/{season}/", 8),
    "committee": ("committee_admin", "/exchanges/committees/{member}/", 10),
    "family_list": ("committee_admin", "/exchanges/committees/{member}/families/", 5),
    "student_list": ("committee_admin", "/exchanges/committees/{member}/students/", 5),
    "school_list": ("committee_admin", "/exchanges/committees/{member}/schools/", 5),
    "coordinator_list": ("committee_admin", "/exchanges/committees/{member}/coordinators/", 6),
    "sending_home": ("contact", "/exchanges/sending/", 3),
    "family_home": ("family", "/exchanges/host/", 8),  # with the placed students
}


@pytest.mark.parametrize("item_count", [1, 3])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_list_pages_cost_the_same_queries_for_one_item_and_three(
    request, springfield_member, django_assert_num_queries, page, item_count
):
    season, contacts = _many(springfield_member, item_count)
    role, template, expected = PAGES[page]
    if role == "contact":
        client = _contact_client(contacts)
    elif role == "family":
        user = UserFactory(email="multi@springfield.example")
        for i in range(item_count):
            other = h.other_member() if i else springfield_member
            h.family(other if i < 2 else h.MemberFactory(), user=user)
        client = _client_for(user)
    else:
        client = request.getfixturevalue(role)
    path = template.format(season=season.slug, member=springfield_member.slug)
    client.get(path)  # roles detected and kept in the session

    with django_assert_num_queries(expected):
        response = client.get(path)

    assert response.status_code == 200
