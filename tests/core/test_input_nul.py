"""INPUT-7: a NUL character in a search, a form or an address is refused with a page that says
why (400; 422 from the API), never a server error nor an export cut off mid-file; so is a
number beyond any database integer; a page number past the end shows the last page."""

import pytest

from tests.factories import CommunityFactory

NUL_MESSAGE = "contains a NUL character"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/communities/?q=spr%00",
        "/communities/export.csv?q=%00",
        "/communities/export.geojson?country=U%00",
        "/showcase/consent/%00/",
    ],
)
def test_input_nul_in_a_public_address_is_refused_with_a_reason(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_input_nul_in_a_staff_search_is_refused_with_a_reason(staff):
    response = staff.get("/staff/activities/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_input_nul_in_a_posted_form_changes_nothing(committee_admin, springfield_member):
    name_before = springfield_member.name

    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/edit/", {"description": "Hello\x00world"}
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    springfield_member.refresh_from_db()
    assert springfield_member.name == name_before


@pytest.mark.django_db
def test_input_nul_in_the_api_is_a_validation_error(anonymous):
    response = anonymous.get("/api/communities", {"q": "spr\x00"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]
    assert NUL_MESSAGE in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_input_nul_in_an_api_json_body_is_a_validation_error(committee_admin):
    response = committee_admin.post(
        "/api/me/proposals",
        '{"member": "m", "community": "c", "partner": "p", "note": "a\\u0000b"}',
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


@pytest.mark.django_db
def test_input_an_escaped_backslash_before_u0000_is_not_a_nul(anonymous):
    CommunityFactory(name="Springfield")

    response = anonymous.get("/communities/", {"q": "\\u0000"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/communities", "/api/partnerships"])
def test_input_a_huge_api_page_number_is_refused_not_a_server_error(anonymous, path):
    response = anonymous.get(path, {"page": "9" * 30})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


@pytest.mark.django_db
def test_input_a_page_number_past_the_end_shows_the_last_page(anonymous):
    CommunityFactory(name="Springfield")

    response = anonymous.get("/communities/", {"page": str(10**15)})

    assert response.status_code == 200
    assert "Springfield" in response.content.decode()


@pytest.mark.django_db
def test_input_a_number_no_database_holds_is_refused_with_a_reason(committee_admin):
    response = committee_admin.get("/communities/", {"page": "9" * 30})

    assert response.status_code == 400
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_input_a_next_that_is_not_a_path_is_ignored_by_staff_actions(staff):
    flagged = CommunityFactory(
        location_status="outside_country", suggested_latitude=1.0, suggested_longitude=2.0
    )

    response = staff.post(f"/staff/locations/{flagged.pk}/keep/", {"next": "profile"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/locations/"
