"""The library's pages: search with facets and featured resources, a resource with its
versions and language versions, and staff's pages (add, edit, new version, topics); list
pages cost the same number of queries whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import _client_for
from tests.library.helpers import committee, docx_upload, link, topic
from twinning.core.authz import SYSTEM
from twinning.library.models import Resource, Topic
from twinning.library.services import add_version, link_translation

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    """Queries of a page once the visitor's roles are known (the first page of a session
    detects them, core.navigation)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def many(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        link(f"Guide {n}", topics=[topic("youth"), topic("exchanges")], access="members")


def test_the_library_page_searches_and_shows_facets(client):
    link("Youth exchange handbook", topics=[topic("youth")])
    link("Budget sheet")

    response = client.get("/library/?q=youth")

    text = response.content.decode()
    assert "Youth exchange handbook" in text
    assert "Budget sheet" not in text
    assert "Youth</a> (1)" in text


def test_featured_resources_are_on_the_library_page_the_home_page_and_the_dashboard(
    client, committee_admin, springfield_member
):
    from tests.library.helpers import in_good_standing

    in_good_standing(springfield_member)
    link("Featured toolkit", featured=True)
    link("Plain toolkit")

    assert "Featured toolkit" in client.get("/library/").context["featured"][0].title
    assert "Featured toolkit" in client.get("/").content.decode()
    dashboard = committee_admin.get(f"/portal/{springfield_member.slug}/dashboard/")
    assert "Featured toolkit" in dashboard.content.decode()
    assert "Plain toolkit" not in dashboard.content.decode()


def test_a_resource_page_shows_the_current_version_older_ones_and_language_versions(client):
    english = link("Hosting guide", url="https://example.org/v1")
    french = link("Guide de l'accueil", language="fr")
    link_translation(resource=english, other=french, by=SYSTEM)
    add_version(
        resource=english, change_note="New chapter", url="https://example.org/v2", by=SYSTEM
    )

    text = client.get(english.get_absolute_url()).content.decode()
    older = client.get(f"/library/{english.slug}/v1/")

    assert "Current version (2)" in text
    assert "New chapter" in text
    assert f"/library/{english.slug}/v1/" in text
    assert "Guide de l&#x27;accueil" in text
    assert "This is an earlier version" in older.content.decode()
    assert client.get(f"/library/{english.slug}/v1/open/")["Location"] == "https://example.org/v1"


def test_a_document_is_downloaded_as_an_attachment_with_the_media_headers(
    committee_admin, springfield_member
):
    from tests.library.helpers import document, in_good_standing

    in_good_standing(springfield_member)
    resource = document("Toolkit", docx_upload("Hello"))

    response = committee_admin.get(f"/library/{resource.slug}/v1/open/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="toolkit.docx"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_staff_add_a_document_with_topics(staff):
    response = staff.post(
        "/staff/library/new/",
        {
            "title": "Sister city toolkit",
            "summary": "Everything to start.",
            "kind": "document",
            "language": "en",
            "access": "members",
            "topics": [topic("exchanges").pk],
            "upload": docx_upload("Start here"),
        },
    )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert list(resource.topics.values_list("slug", flat=True)) == ["exchanges"]
    assert resource.versions.get().file_name == "toolkit.docx"


def test_staff_adding_a_refused_file_see_why_and_nothing_is_added(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff.post(
        "/staff/library/new/",
        {
            "title": "Bad",
            "summary": "S",
            "kind": "document",
            "language": "en",
            "access": "public",
            "upload": SimpleUploadedFile("x.docx", b"PK\x03\x04not really"),
        },
    )

    assert response.status_code == 200
    assert "not accepted" in response.content.decode()
    assert not Resource.objects.exists()


def test_staff_upload_a_new_version_with_its_change_note(staff):
    resource = link("Guide")

    response = staff.post(
        f"/staff/library/{resource.slug}/versions/",
        {"change_note": "Fixed the address", "url": "https://example.org/new"},
    )

    assert response.status_code == 302
    assert resource.versions.first().change_note == "Fixed the address"


def test_staff_add_a_topic_and_a_duplicate_is_refused_with_a_message(staff):
    staff.post("/staff/library/topics/", {"name": "Climate action"})
    response = staff.post("/staff/library/topics/", {"name": "Climate action"})

    assert Topic.objects.filter(name="Climate action").count() == 1
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_staff_link_language_versions_and_a_same_language_pair_is_refused(staff):
    english = link("Guide")
    other = link("Other guide")
    french = link("Guide", language="fr")

    staff.post(f"/staff/library/{english.slug}/translations/", {"other": french.pk})
    refused = staff.post(f"/staff/library/{english.slug}/translations/", {"other": other.pk})

    english.refresh_from_db()
    assert english.translation_group == Resource.objects.get(pk=french.pk).translation_group
    assert refused.status_code == 302
    assert Resource.objects.get(pk=other.pk).translation_group is None


def test_the_library_page_costs_the_same_queries_for_3_or_12_resources():
    _, admin = committee("Springfield Sister Cities", "admin@springfield.example")
    client = _client_for(admin)
    many(3)
    few = queries(client, "/library/?q=guide")
    many(9, start=3)

    assert queries(client, "/library/?q=guide") == few
    assert len(client.get("/library/?q=guide").context["results"]) == 12


def test_the_first_library_page_after_a_change_costs_the_same_for_3_or_12_resources():
    """The search's result is cached until the library changes (search._found): the request
    that reads it afresh is guarded too."""
    _, admin = committee("Springfield Sister Cities", "admin@springfield.example")
    client = _client_for(admin)
    client.get("/library/")  # the session's roles are detected on its first page

    def first_after_a_change(start: int, count: int) -> int:
        many(count, start=start)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/library/?q=guide").status_code == 200
        return len(captured)

    few = first_after_a_change(0, 3)

    assert first_after_a_change(3, 9) == few
    assert queries(client, "/library/?q=guide") < few


def test_staff_list_pages_cost_the_same_queries_for_3_or_12_resources(staff):
    many(3)
    counts = [queries(staff, url) for url in ("/staff/library/", "/staff/library/downloads/")]
    many(9, start=3)

    assert [
        queries(staff, url) for url in ("/staff/library/", "/staff/library/downloads/")
    ] == counts


def test_the_library_page_shows_20_results_a_page_and_the_facets_count_them_all(client):
    for n in range(25):
        link(f"Guide {n:02d}", topics=[topic("youth")])

    first = client.get("/library/?q=guide")
    second = client.get("/library/?q=guide&page=2")

    assert len(first.context["page"]) == 20
    assert "Youth</a> (25)" in first.content.decode()
    assert "25 resources" in first.content.decode()
    assert [r.title for r in second.context["page"]] == [f"Guide {n}" for n in range(20, 25)]


def test_staff_resource_list_is_paged(staff):
    many(55)

    first = staff.get("/staff/library/")
    second = staff.get("/staff/library/?page=2")

    assert "Showing 1–50 of 55" in first.content.decode()
    assert len(second.context["resources"]) == 5


def test_the_library_page_without_a_query_costs_the_same_for_3_or_12_resources(client):
    many(3)
    link("Open guide 0")
    few = queries(client, "/library/")
    many(9, start=3)
    link("Open guide 1")

    assert queries(client, "/library/") == few


def test_the_topics_page_costs_the_same_queries_for_3_or_12_topics(staff):
    from twinning.library.services import create_topic

    for n in range(3):
        create_topic(name=f"Topic {n}", by=SYSTEM)
    few = queries(staff, "/staff/library/topics/")
    for n in range(3, 12):
        create_topic(name=f"Topic {n}", by=SYSTEM)

    assert queries(staff, "/staff/library/topics/") == few


def test_a_resource_page_costs_the_same_queries_for_2_or_8_versions_and_languages(client):
    english = link("Hosting guide")
    for language in ("fr", "es"):
        link_translation(
            resource=english, other=link(f"Guide {language}", language=language), by=SYSTEM
        )
    add_version(resource=english, change_note="Second", url="https://example.org/2", by=SYSTEM)
    few = queries(client, english.get_absolute_url())
    link_translation(resource=english, other=link("Leitfaden", language="de"), by=SYSTEM)
    for n in range(3, 9):
        add_version(
            resource=english, change_note=f"Edit {n}", url=f"https://example.org/{n}", by=SYSTEM
        )

    assert queries(client, english.get_absolute_url()) == few
