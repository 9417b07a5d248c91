"""Certificates are documents: staff edit their texts on the documents pages (placeholders and
syntax checked), the next certificate is written from the new text, the certificate layout is
one landscape page, and a kept certificate holds only the values its kind declares and can be
made again word for word."""

import io

import pytest
from pypdf import PdfReader

from twinning.core.authz import SYSTEM
from twinning.core.media import private_storage
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.documents.services import (
    build_document,
    certificate_pdf,
    generate_document,
    issue_certificate,
    regenerate_document,
    save_document_template,
)

pytestmark = pytest.mark.django_db

ATTENDANCE = {
    "attendee": "Zoë Łukasiewicz",
    "event_title": "Youth exchanges that last",
    "event_date": "2026-03-05",
    "minutes": 58,
    "partner": "",
}


def _text(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_staffs_edit_of_a_certificate_text_changes_the_next_certificate(staff):
    before = _text(certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="en"))

    response = staff.post(
        "/staff/documents/attendance_certificate/en/",
        {
            "title": "Certificate of presence",
            "body": "{{ attendee }}\n\nwas with us for {{ minutes }} minutes on {{ event_date }}.",
        },
    )
    after = _text(certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="en"))

    assert response.status_code == 302
    assert "Certificate of attendance" in before
    assert [line.strip() for line in after.splitlines()][1:] == [
        "Certificate of presence",
        "Zoë Łukasiewicz",
        "was with us for 58 minutes on March 5, 2026.",
    ]


def test_a_certificate_text_with_an_unknown_placeholder_is_refused_with_the_ones_it_may_use(staff):
    response = staff.post(
        "/staff/documents/showcase_certificate/en/",
        {"title": "Winner", "body": "{{ first_name }} {{ last_name }}"},
    )

    assert response.status_code == 400
    message = response.context["form"].errors["body"][0]
    assert message.startswith("Unknown placeholder(s): last_name. This text may use:")
    assert "first_name" in message
    assert DocumentTemplate.objects.count() == 0


def test_a_certificate_text_with_broken_syntax_is_refused_with_the_reason(staff):
    response = staff.post(
        "/staff/documents/honour_certificate/en/",
        {"title": "{% if winner %}Winner", "body": "{{ recipient }}"},
    )

    assert response.status_code == 400
    assert "The title is not a valid template" in response.context["form"].errors["title"][0]
    assert DocumentTemplate.objects.count() == 0


def test_the_certificate_texts_are_listed_with_the_other_documents(staff):
    response = staff.get("/staff/documents/")

    keys = {row["kind"].key for row in response.context["rows"]}
    assert keys >= {"honour_certificate", "showcase_certificate", "attendance_certificate"}


def test_a_certificate_is_one_landscape_page_however_long_its_text(staff):
    values = {**ATTENDANCE, "event_title": "A very long webinar title " * 60}

    reader = PdfReader(
        io.BytesIO(certificate_pdf(kind="attendance_certificate", values=values, language="en"))
    )

    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height


def test_a_certificate_in_a_language_without_a_text_is_written_in_the_source_language():
    text = _text(certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="ja"))

    assert "Certificate of attendance" in text


def test_an_issued_certificate_keeps_only_the_values_its_kind_declares():
    values = {
        "first_name": "Zoë",
        "last_name": "Secret",
        "community": "Springfield",
        "category": "Photography",
        "place": None,
        "finalist": True,
        "year": 2026,
        "theme": "Bridges",
        "published_on": "2026-06-02",
    }

    document, data = issue_certificate(kind="showcase_certificate", values=values, language="en")

    kept = GeneratedDocument.objects.get(pk=document.pk)
    assert "last_name" not in kept.inputs
    assert "Secret" not in str(kept.texts) + _text(data)
    assert kept.texts[0]["title"] == "Finalist"
    assert (kept.member, kept.state) == (None, GeneratedDocument.State.READY)


def test_a_committees_certificate_of_participation_is_set_in_the_certificate_layout(member, kyoto):
    document = generate_document(
        kind="participation_certificate",
        member=member,
        partnership=kyoto,
        values={
            "recipient": "Ana Souza",
            "activity": "the youth exchange",
            "activity_date": "2026-05-01",
            "our_signatory": "Joe Quimby",
        },
        by=SYSTEM,
        build=False,
    )

    built = build_document(document=document)

    page = PdfReader(private_storage.open(built.file_name)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    lines = [line.strip() for line in page.extract_text().splitlines()]
    assert lines[1:3] == ["Certificate of participation", "Ana Souza"]
    assert lines[3].startswith("took part in the youth exchange between Springfield")


def test_a_kept_certificate_is_made_again_word_for_word_after_staff_change_the_text(
    django_capture_on_commit_callbacks,
):
    document, _data = issue_certificate(
        kind="attendance_certificate", values=ATTENDANCE, language="en"
    )
    save_document_template(
        kind="attendance_certificate", language="en", title="New", body="{{ attendee }}", by=SYSTEM
    )

    with django_capture_on_commit_callbacks(execute=True):
        again = regenerate_document(document=document, by=SYSTEM)

    again.refresh_from_db()
    assert again.texts == document.texts
    assert (
        "Certificate of attendance"
        in PdfReader(private_storage.open(again.file_name)).pages[0].extract_text()
    )
