"""The public exhibit: hidden until the results are published; winners and finalists by
category with only first name, community and country; each work's page and media exist only
while publication consent and staff approval hold; noindex unless opted in; no metadata."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tests.showcase.judging_helpers import (
    entrant,
    judged_edition,
    published,
    submitted_entry,
    win,
)
from tests.showcase.media import png_bytes
from twinning.showcase.models import Entry, ExhibitWork
from twinning.showcase.services import (
    approve_entry,
    revoke_approval,
    set_work_indexing,
    withdraw_consent,
)


@pytest.fixture
def winner(edition, springfield):
    student = entrant(edition, springfield, first_name="Zoë", last_name="Secretsurname")
    return submitted_entry(
        edition,
        student,
        title="Bridge at dawn",
        data=png_bytes(gps=True),
        name="IMG_GPS.jpg",
        alt_text="A stone bridge in pink morning light.",
    )


@pytest.fixture
def judged(edition, winner, staff_user):
    judged_edition(edition, [winner], staff_user=staff_user)
    return winner


def _publish(edition, entries, staff_user, capture):
    with capture(execute=True):
        published(edition, entries, staff_user=staff_user)
    return ExhibitWork.objects.get(entry=entries[0])


def test_exhibit_hides_results_until_published(anonymous, edition, judged, staff_user):
    win(edition, judged, staff_user=staff_user)

    page = anonymous.get(f"/showcase/{edition.year}/")

    assert page.status_code == 200
    assert "The results are not published yet." in page.text
    assert "Bridge at dawn" not in page.text
    assert not ExhibitWork.objects.exists()


def test_exhibit_shows_winner_with_first_name_community_and_country_only(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    page = anonymous.get(f"/showcase/{edition.year}/")

    assert "Bridge at dawn" in page.text
    assert "Zoë, Springfield, United States" in page.text
    assert 'alt="A stone bridge in pink morning light."' in page.text
    assert "Secretsurname" not in page.text
    assert "Canary High School" not in page.text
    assert judged.student.user.email not in page.text
    assert work.get_absolute_url() in page.text
    assert "<figure" in page.text and "<figcaption>" in page.text
    assert '<h2 id="category-photography">Photography</h2>' in page.text


def test_work_page_is_shareable_and_noindex_unless_opted_in(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    hidden = anonymous.get(work.get_absolute_url())
    set_work_indexing(work=work, indexable=True, by=judged.student.user)
    indexed = anonymous.get(work.get_absolute_url())

    assert hidden.status_code == 200
    assert '<meta name="robots" content="noindex">' in hidden.text
    assert hidden["X-Robots-Tag"] == "noindex"
    assert "noindex" not in indexed.text
    assert not indexed.has_header("X-Robots-Tag")
    assert len(work.slug) >= 12


def test_withdrawing_publication_consent_removes_the_work_at_once(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)
    media_url = f"{work.get_absolute_url()}display/"
    assert anonymous.get(media_url).status_code == 200

    withdraw_consent(student=judged.student, scope="publication", by=judged.student.user)

    assert anonymous.get(work.get_absolute_url()).status_code == 404
    assert anonymous.get(media_url).status_code == 404
    assert "Bridge at dawn" not in anonymous.get(f"/showcase/{edition.year}/").text


def test_work_without_staff_approval_is_not_shown(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    revoke_approval(entry=Entry.objects.get(pk=judged.pk), by=staff_user)

    assert anonymous.get(work.get_absolute_url()).status_code == 404


def test_served_image_has_no_gps_or_author_metadata(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    response = anonymous.get(f"{work.get_absolute_url()}display/")
    data = b"".join(response.streaming_content)

    exif = Image.open(io.BytesIO(data)).getexif()
    assert 0x8825 not in exif  # GPS IFD
    assert 0x013B not in exif  # Artist
    assert b"Canary Artist" not in data
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "IMG_GPS" not in response["Content-Disposition"]


def test_unknown_media_variant_or_slug_is_404(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    work = _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    assert anonymous.get(f"{work.get_absolute_url()}original/").status_code == 404
    assert anonymous.get(f"/showcase/{edition.year}/works/nope/").status_code == 404
    assert anonymous.get("/showcase/1999/").status_code == 404


@pytest.fixture
def three_judged(edition, springfield, sister_city, staff_user):
    entries = [
        submitted_entry(edition, entrant(edition, community), title=f"Work {n}")
        for n, community in enumerate([springfield, sister_city, springfield])
    ]
    judged_edition(edition, entries, staff_user=staff_user)
    return entries


def test_exhibit_page_queries_do_not_grow_with_works(
    anonymous, edition, three_judged, staff_user, django_capture_on_commit_callbacks
):
    entries = three_judged
    _publish(edition, entries[:1], staff_user, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one:
        anonymous.get(f"/showcase/{edition.year}/")
    for place, entry in enumerate(entries[1:], start=2):
        ExhibitWork.objects.create(edition=edition, entry=entry, outcome="winner", place=place)
        approve_entry(entry=entry, by=staff_user)

    with CaptureQueriesContext(connection) as three:
        page = anonymous.get(f"/showcase/{edition.year}/")

    assert page.text.count("<article") == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_edition_list_links_the_exhibit_once_published(
    anonymous, edition, judged, staff_user, django_capture_on_commit_callbacks
):
    before = anonymous.get("/showcase/")
    _publish(edition, [judged], staff_user, django_capture_on_commit_callbacks)

    after = anonymous.get("/showcase/")

    assert f'href="/showcase/{edition.year}/"' not in before.text
    assert f'href="/showcase/{edition.year}/"' in after.text
