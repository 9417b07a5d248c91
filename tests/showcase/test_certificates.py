"""Certificates: made in the background after publishing from the documents app's text (staff
edit it), Unicode names rendered, no student data in the PDF's metadata, only the first name,
community, edition and result kept and forgotten on erasure and retention, downloadable only
by the student and their guardian."""

import datetime
import io

import pytest
from pypdf import PdfReader

from tests.showcase.judging_helpers import entrant, judged_edition, published, submitted_entry
from tests.translations import catalogue
from twinning.core.media import private_storage
from twinning.documents.kinds import get_kind
from twinning.showcase.models import Certificate, Entry


def test_certificate_renders_a_unicode_name_and_keeps_it_out_of_the_metadata(
    edition, springfield, staff_user, django_capture_on_commit_callbacks
):
    name = "Zoë-Łukasz Nguyễn Ağaoğlu"
    entry = submitted_entry(edition, entrant(edition, springfield, first_name=name))
    judged_edition(edition, [entry], staff_user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        published(edition, [entry], staff_user=staff_user)

    reader = PdfReader(private_storage.open(Certificate.objects.get(entry=entry).file_name))

    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert name in reader.pages[0].extract_text()
    assert "Zoë" not in str(dict(reader.metadata))
    assert reader.metadata["/Author"] == "Twinning Association"


@pytest.fixture
def certified(edition, springfield, sister_city, staff_user, django_capture_on_commit_callbacks):
    mine = submitted_entry(edition, entrant(edition, springfield, first_name="Zoë"), title="Mine")
    theirs = submitted_entry(edition, entrant(edition, sister_city), title="Theirs")
    judged_edition(edition, [mine, theirs], staff_user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        published(edition, [mine], staff_user=staff_user)
    return mine, theirs


def test_student_downloads_their_certificate_as_a_pdf_attachment(certified):
    from tests.conftest import _client_for

    mine, _theirs = certified
    certificate = Certificate.objects.get(entry=mine)
    client = _client_for(mine.student.user)

    listing = client.get("/showcase/certificates/")
    response = client.get(f"/showcase/certificates/{certificate.pk}/")

    assert f"/showcase/certificates/{certificate.pk}/" in listing.text
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Zoë" in text and "Winner" in text


def test_guardian_downloads_the_certificate_of_their_child_only(certified):
    from tests.showcase.conftest import guardian_session

    mine, theirs = certified
    guardian = guardian_session(mine.student.consents.get(verified_by="guardian_email_link"))

    own = guardian.get(f"/showcase/certificates/{Certificate.objects.get(entry=mine).pk}/")
    other = guardian.get(f"/showcase/certificates/{Certificate.objects.get(entry=theirs).pk}/")

    assert own.status_code == 200
    assert other.status_code == 404


def test_another_student_cannot_download_a_certificate(certified):
    from tests.conftest import _client_for

    mine, theirs = certified

    response = _client_for(theirs.student.user).get(
        f"/showcase/certificates/{Certificate.objects.get(entry=mine).pk}/"
    )

    assert response.status_code == 404


def test_certificate_pages_refuse_other_roles(certified, anonymous, public, committee_admin, staff):
    mine, _theirs = certified
    url = f"/showcase/certificates/{Certificate.objects.get(entry=mine).pk}/"

    statuses = [client.get(url).status_code for client in (public, committee_admin, staff)]

    assert anonymous.get(url).status_code == 302
    assert statuses == [404, 404, 404]


def test_no_certificate_before_the_results_are_published(edition, springfield, staff_user):
    from tests.conftest import _client_for

    entry = submitted_entry(edition, entrant(edition, springfield))
    judged_edition(edition, [entry], staff_user=staff_user)

    page = _client_for(entry.student.user).get("/showcase/certificates/")

    assert "No certificate yet." in page.text
    assert not Certificate.objects.exists()


def test_a_certificate_is_dated_in_the_associations_calendar(certified):
    """Certificates are built by a worker (no time zone active): results published at 23:30
    UTC are dated the next day for an association in Tokyo."""
    from django.core.cache import cache

    from twinning.core.models import Association
    from twinning.core.services import ASSOCIATION_CACHE_KEY
    from twinning.showcase.certificates import issue_certificate

    mine, _theirs = certified
    association = Association.load()
    association.time_zone = "Asia/Tokyo"
    association.save()
    cache.delete(ASSOCIATION_CACHE_KEY)
    edition = mine.edition
    edition.results_published_at = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)
    edition.save(update_fields=["results_published_at"])

    certificate = issue_certificate(entry=Entry.objects.get(pk=mine.pk), decision=None)

    text = PdfReader(private_storage.open(certificate.file_name)).pages[0].extract_text()
    assert "June 2, 2026" in text


def test_staffs_edit_of_the_certificate_text_reaches_the_students_next_certificate(
    edition, springfield, staff_user, staff, django_capture_on_commit_callbacks
):
    from tests.conftest import _client_for

    entry = submitted_entry(edition, entrant(edition, springfield, first_name="Zoë"))
    judged_edition(edition, [entry], staff_user=staff_user)
    saved = staff.post(
        "/staff/documents/showcase_certificate/en/",
        {"title": "Bravo", "body": "{{ first_name }}\n\nof {{ community }}, {{ year }}"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        published(edition, [entry], staff_user=staff_user)
    certificate = Certificate.objects.get(entry=entry)

    response = _client_for(entry.student.user).get(f"/showcase/certificates/{certificate.pk}/")

    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert saved.status_code == 302
    assert [line.strip() for line in text.splitlines()][1:] == [
        "Bravo",
        "Zoë",
        f"of Springfield, {edition.year}",
    ]


def test_a_kept_certificate_holds_the_first_name_community_and_edition_only(certified):
    mine, _theirs = certified

    document = Certificate.objects.get(entry=mine).document

    kept = str(document.inputs) + str(document.texts)
    assert document.inputs["first_name"] == "Zoë"
    assert mine.student.last_name not in kept
    assert mine.title not in kept
    assert "date_of_birth" not in document.inputs and "school" not in kept.lower()


def test_erasure_deletes_the_students_certificate_its_kept_texts_and_its_file(
    certified, staff_user, django_capture_on_commit_callbacks
):
    from twinning.documents.models import GeneratedDocument
    from twinning.showcase.privacy import execute_erasure, request_erasure

    mine, theirs = certified
    certificate = Certificate.objects.get(entry=mine)
    erasure = request_erasure(student=mine.student, requested_by="student")

    with django_capture_on_commit_callbacks(execute=True):
        execute_erasure(request=erasure, by=staff_user)

    assert list(Certificate.objects.values_list("entry", flat=True)) == [theirs.pk]
    assert not GeneratedDocument.objects.filter(pk=certificate.document_id).exists()
    assert not private_storage.exists(certificate.file_name)
    assert GeneratedDocument.objects.count() == 1
    assert "Zoë" not in str(list(GeneratedDocument.objects.values_list("inputs", "texts")))


def test_retention_deletes_a_participants_certificate_and_its_kept_texts(
    certified, django_capture_on_commit_callbacks
):
    from twinning.documents.models import GeneratedDocument
    from twinning.showcase.privacy import apply_edition_retention, retention_due_on

    mine, theirs = certified
    gone = Certificate.objects.get(entry=theirs)
    day = retention_due_on(mine.edition) + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        apply_edition_retention(edition=mine.edition, today=day)

    assert list(Certificate.objects.values_list("entry", flat=True)) == [mine.pk]
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [
        Certificate.objects.get(entry=mine).document_id
    ]
    assert not private_storage.exists(gone.file_name)


def test_the_certificate_is_in_the_students_language_from_the_catalogue(
    edition, springfield, staff_user, django_capture_on_commit_callbacks
):
    """A student whose account says French gets a French certificate where the catalogue
    translates its text, though staff wrote none in French; the other stays in English."""
    french_student = entrant(edition, springfield, first_name="Zoë")
    french_student.user.language = "fr"
    french_student.user.save(update_fields=["language"])
    mine = submitted_entry(edition, french_student, title="Mine")
    theirs = submitted_entry(edition, entrant(edition, springfield, first_name="Sam"))
    judged_edition(edition, [mine, theirs], staff_user=staff_user)
    kind = get_kind("showcase_certificate")
    french = {
        kind.title: "{% if place %}Lauréat : place {{ place }}{% elif finalist %}Finaliste"
        "{% else %}Certificat de participation{% endif %}",
        kind.body: "{{ first_name }}\n\n{{ community }}, {{ category }}\n\n"
        "Exposition des jeunes artistes et auteurs {{ year }} : {{ theme }}\n\n{{ published_on }}",
    }

    with catalogue("fr", french), django_capture_on_commit_callbacks(execute=True):
        published(edition, [mine], staff_user=staff_user)

    ours = Certificate.objects.get(entry=mine).document
    other = Certificate.objects.get(entry=theirs).document
    assert (ours.languages, other.languages) == (["fr"], ["en"])
    assert ours.texts[0]["body"].startswith("Zoë\n\nSpringfield, ")
    assert "Exposition des jeunes artistes et auteurs" in ours.texts[0]["body"]
    assert "Young Artists and Authors Showcase" in other.texts[0]["body"]
