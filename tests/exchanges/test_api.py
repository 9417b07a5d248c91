"""The exchange's API: staff-only figures (seasons, students by status, placements,
reciprocity per partnership), by a verified staff session or a staff token with
`exchanges:read`; the refused roles; no personal data in any answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.exchanges import helpers as h
from tests.exchanges import placement_helpers as ph
from twinning.core.authz import SYSTEM
from twinning.exchanges.services import retention
from twinning.network.services import create_api_token

pytestmark = pytest.mark.django_db

ENDPOINTS = (
    "/api/exchanges/seasons",
    "/api/exchanges/seasons/placing",
    "/api/exchanges/reciprocity",
)


@pytest.fixture
def world(springfield_member):
    """One student placed (the family's), another only nominated, in a season of 3 places."""
    found = ph.world(springfield_member)
    found.placement = ph.place(found)
    found.other = h.nominate(found.quota, email="milan@kragujevac.example", first_name="Milan")
    return found


def _token(staff_user, scopes):
    _token, secret = create_api_token(
        name="Reporting",
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=staff_user,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_staff_read_each_seasons_figures(world, staff):
    response = staff.get("/api/exchanges/seasons")

    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "placing",
            "name": "Academic year 2027-28",
            "kind": "year",
            "arrival_date": "2027-08-15",
            "departure_date": "2028-06-15",
            "places": 3,
            "students": {"nominated": 1, "placed": 1},
            "students_went": 1,
            "placements": {"current": 1, "ended": 0},
            "personal_data_deleted": False,
        }
    ]
    assert staff.get("/api/exchanges/seasons/placing").json() == response.json()[0]


def test_staff_read_the_reciprocity_of_each_partnership(world, staff):
    (row,) = staff.get("/api/exchanges/reciprocity").json()

    assert row["partnership_id"] == world.quota.partnership_id
    assert {row["first"], row["second"]} == {"Kragujevac", world.member.communities.first().name}
    assert row["first_sent"] + row["second_sent"] == 1
    assert row["years"] == [
        {"year": 2027, "first_sent": row["first_sent"], "second_sent": row["second_sent"]}
    ]


def test_a_season_past_retention_answers_from_its_kept_counts(world, staff):
    retention.apply_retention(today=datetime.date(2031, 6, 16), by=SYSTEM)

    season = staff.get("/api/exchanges/seasons/placing").json()

    assert season["personal_data_deleted"] is True
    assert season["students"] == {"nominated": 1, "placed": 1}
    assert season["placements"] == {"current": 0, "ended": 1}


def test_no_answer_names_a_person_a_family_or_a_restricted_value(world, staff):
    bodies = "".join(staff.get(path).content.decode() for path in ENDPOINTS)

    for private in (*h.CANARIES, "Ana", "Milan", "Jovanovi", "Simpson", "Springfield High"):
        assert private not in bodies


def test_a_staff_token_with_the_scope_reads_the_figures(world, staff_user):
    headers = _token(staff_user, ["exchanges:read"])

    answers = [Client().get(path, **headers).status_code for path in ENDPOINTS]

    assert answers == [200, 200, 200]


def test_a_staff_token_without_the_scope_is_refused_with_403(world, staff_user):
    headers = _token(staff_user, ["registry:read"])

    response = Client().get("/api/exchanges/seasons", **headers)

    assert response.status_code == 403
    assert "exchanges:read" in response.json()["detail"]


def test_a_committee_token_cannot_hold_the_scope(springfield_member, committee_admin_user):
    with pytest.raises(ValidationError):
        create_api_token(
            name="Ours",
            scopes=["exchanges:read"],
            expires_at=timezone.now() + datetime.timedelta(days=30),
            member=springfield_member,
            by=committee_admin_user,
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("public", 404),
        ("committee_admin", 404),
        ("other_committee_admin", 404),
        ("staff_without_otp", 404),
    ],
)
def test_the_figures_are_refused_outside_verified_staff(request, world, role, status):
    client = request.getfixturevalue(role)

    answers = {path: client.get(path).status_code for path in ENDPOINTS}

    assert answers == dict.fromkeys(ENDPOINTS, status)


def test_the_student_and_the_family_are_refused(world):
    from tests.conftest import _client_for

    for user in (world.student.person.user, world.family.user):
        client = _client_for(user)
        assert [client.get(path).status_code for path in ENDPOINTS] == [404, 404, 404]


def test_an_unknown_season_answers_404(world, staff):
    response = staff.get("/api/exchanges/seasons/no-such-season")

    assert response.status_code == 404


@pytest.mark.parametrize("seasons", [1, 3])
def test_the_season_list_costs_the_same_whatever_the_number(
    springfield_member, staff, django_assert_num_queries, seasons
):
    for n in range(seasons):
        h.quota(springfield_member, h.season(slug=f"season-{n}"))
    staff.get("/api/exchanges/seasons")

    with django_assert_num_queries(7):
        response = staff.get("/api/exchanges/seasons")

    assert len(response.json()) == seasons
