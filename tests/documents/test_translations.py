"""The code's texts in other languages: a document's default text counts as written in every
offered language whose gettext catalogue translates both its title and its body; staff's own
text still wins; a translation that fails the kind's check is not used (a warning, and the
document falls back to another language); a bilingual agreement picks the partner's language
from the catalogue; every translated default passes its kind's check (so a broken one fails
CI). Tests that need a string translated (or broken) bring their own catalogue
(`tests.translations.catalogue`); the agreement and the invitation use the shipped French."""

import io
import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from tests.documents.helpers import AGREEMENT_VALUES
from tests.translations import catalogue
from twinning.core.authz import SYSTEM
from twinning.core.models import Association
from twinning.core.services import ASSOCIATION_CACHE_KEY
from twinning.documents.compose import (
    languages_with_text,
    template_for,
    template_languages,
    text_language,
)
from twinning.documents.kinds import check_texts, get_kind, registered_kinds
from twinning.documents.services import (
    certificate_pdf,
    generate_document,
    issue_certificate,
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


def _attendance_in_french(body: str | None = None) -> dict:
    kind = get_kind("attendance_certificate")
    return {
        kind.title: "Attestation de présence",
        kind.body: body
        or (
            "{{ attendee }}\n\na assisté au webinaire « {{ event_title }} » le {{ event_date }}, "
            "pendant {{ minutes }} minutes."
        ),
    }


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _lines(data: bytes) -> list[str]:
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    return [line.strip() for line in text.splitlines()]


def _association_speaks(*languages: str) -> None:
    association = Association.load()
    association.languages = list(languages)
    association.save()
    cache.delete(ASSOCIATION_CACHE_KEY)


# --- Every translated default is valid ---------------------------------------------------------


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_translated_default_text_passes_its_kinds_check(language):
    """Some strings may not be translated yet (the source text stands for them, and is
    valid); every translated one must use only its kind's placeholders, in valid syntax."""
    broken = []

    for kind in registered_kinds():
        title, body = _in(language, kind.title), _in(language, kind.body)
        try:
            check_texts(kind, title=title, body=body)
        except ValidationError as error:
            broken.append((kind.key, error.message_dict))

    assert broken == []


# --- The catalogue's translation is a text ------------------------------------------------------


def test_the_invitation_is_written_in_french_from_the_shipped_catalogue(
    member, lyon, committee_admin_user
):
    kind = get_kind("partnership_invitation")

    document = generate_document(
        kind="partnership_invitation",
        member=member,
        partnership=lyon,
        values={
            "proposed_activities": "Échanges scolaires",
            "reply_by": "2026-09-01",
            "our_signatory": "Joe Quimby",
        },
        language="fr",
        by=committee_admin_user,
    )

    (source,) = document.sources
    assert (document.languages, source["version"]) == (["fr"], 0)
    assert source["title"] == _in("fr", kind.title) != _in("en", kind.title)
    assert "Lyon" in document.texts[0]["body"] and "1 septembre 2026" in document.texts[0]["body"]


def test_the_committees_form_offers_the_languages_the_catalogue_translates(
    committee_admin, member, lyon
):
    response = committee_admin.get(
        f"/portal/{member.slug}/documents/new/partnership_invitation/{lyon.pk}/"
    )

    offered = [code for code, _name in response.context["form"].fields["language"].choices]
    assert offered == languages_with_text(get_kind("partnership_invitation"))
    assert {"en", "fr", "es", "de"} <= set(offered)


def test_a_certificate_is_french_where_the_catalogue_translates_title_and_body():
    with catalogue("fr", _attendance_in_french()):
        data = certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="fr")

    lines = _lines(data)
    assert lines[1:3] == ["Attestation de présence", "Zoë Łukasiewicz"]
    assert "le 5 mars 2026" in " ".join(lines[3:])


def test_a_text_whose_body_is_not_translated_is_not_offered_in_that_language():
    kind = get_kind("attendance_certificate")
    half = {kind.title: "Attestation de présence", kind.body: _in(None, kind.body)}

    with catalogue("fr", half):
        available = template_languages(kind)
        chosen = text_language(kind, "fr")
        with pytest.raises(LookupError):
            template_for(kind, "fr")

    assert "fr" not in available
    assert chosen == "en"


def test_staffs_text_wins_over_the_catalogues(staff):
    kind = get_kind("attendance_certificate")
    staff.post(
        "/staff/documents/attendance_certificate/fr/",
        {"title": "Merci !", "body": "{{ attendee }}\n\nétait là {{ minutes }} minutes."},
    )

    with catalogue("fr", _attendance_in_french()):
        used = template_for(kind, "fr")
        data = certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="fr")

    assert (used["version"], used["title"]) == (1, "Merci !")
    assert _lines(data)[1:] == ["Merci !", "Zoë Łukasiewicz", "était là 58 minutes."]


def test_the_staff_page_shows_the_catalogues_translation_as_the_standard_text(staff):
    with catalogue("fr", _attendance_in_french()):
        listing = staff.get("/staff/documents/")
        page = staff.get("/staff/documents/attendance_certificate/fr/")

    rows = {row["kind"].key: row["languages"] for row in listing.context["rows"]}
    french = next(lang for lang in rows["attendance_certificate"] if lang["code"] == "fr")
    assert (french["version"], french["translated"]) == (0, True)
    assert page.context["form"].initial["title"] == "Attestation de présence"
    assert "as the software's translation gives it" in page.content.decode()


# --- A broken translation is not used -----------------------------------------------------------


def test_a_broken_translation_falls_back_to_the_source_text_with_a_warning(caplog):
    kind = get_kind("attendance_certificate")
    broken = _attendance_in_french(body="{{ participant }} a assisté à {{ event_title }}.")

    with catalogue("fr", broken), caplog.at_level(logging.WARNING, "twinning.documents.kinds"):
        chosen = text_language(kind, "fr")
        data = certificate_pdf(kind="attendance_certificate", values=ATTENDANCE, language="fr")
        with pytest.raises(LookupError):
            template_for(kind, "fr")

    assert chosen == "en"
    assert "Certificate of attendance" in _lines(data)
    assert "Zoë Łukasiewicz" in _lines(data)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and all("'attendance_certificate'" in w for w in warnings)
    assert "participant" in warnings[0]


def test_a_document_asked_for_in_a_broken_language_is_written_in_the_source_language(
    member, lyon, committee_admin_user
):
    kind = get_kind("partnership_agreement")
    broken = {kind.title: "Accord entre {{ community.name }} et {{ partenaire.name }}"}

    with catalogue("fr", broken):
        document = generate_document(
            kind="partnership_agreement",
            member=member,
            partnership=lyon,
            values=AGREEMENT_VALUES,
            language="fr",
            by=committee_admin_user,
        )

    assert document.languages == ["en"]


# --- The bilingual agreement ---------------------------------------------------------------------


def test_an_agreement_with_a_french_partner_is_written_in_english_and_french(
    member, lyon, committee_admin_user
):
    kind = get_kind("partnership_agreement")

    document = generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=lyon,
        values=AGREEMENT_VALUES,
        language="en",
        by=committee_admin_user,
    )

    assert document.languages == ["en", "fr"]
    english, french = document.texts
    assert english["title"] == "Sister city agreement between Springfield and Lyon"
    assert french["title"] != english["title"]
    assert french["title"] == " ".join(
        _in("fr", kind.title)
        .replace("{{ community.name }}", "Springfield")
        .replace("{{ partner.name }}", "Lyon")
        .split()
    )
    assert "1 mai 2026" in french["body"]
    assert [s["version"] for s in document.sources] == [0, 0]


def test_an_agreement_in_spanish_with_a_french_partner_is_in_spanish_and_french(
    member, lyon, committee_admin_user
):
    document = generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=lyon,
        values=AGREEMENT_VALUES,
        language="es",
        by=committee_admin_user,
    )

    assert document.languages == ["es", "fr"]


def test_an_agreement_with_a_broken_french_translation_is_in_english_only(
    member, lyon, committee_admin_user
):
    kind = get_kind("partnership_agreement")

    with catalogue("fr", {kind.body: "{{ community.name }} {% if %}"}):
        document = generate_document(
            kind="partnership_agreement",
            member=member,
            partnership=lyon,
            values=AGREEMENT_VALUES,
            language="en",
            by=committee_admin_user,
        )

    assert document.languages == ["en"]


# --- The certificate's language ------------------------------------------------------------------


def test_a_certificate_is_in_the_associations_language_when_none_is_asked_for():
    _association_speaks("fr", "en")

    with catalogue("fr", _attendance_in_french()):
        document, _data = issue_certificate(
            kind="attendance_certificate", values=ATTENDANCE, language=None
        )

    assert document.languages == ["fr"]
    assert document.texts[0]["title"] == "Attestation de présence"


def test_a_certificate_asked_for_in_a_regional_variant_uses_the_base_language():
    with catalogue("fr", _attendance_in_french()):
        document, _data = issue_certificate(
            kind="attendance_certificate", values=ATTENDANCE, language="fr-ca"
        )

    assert document.languages == ["fr"]


def test_a_certificate_in_a_language_without_text_is_in_the_source_language():
    save_document_template(
        kind="attendance_certificate",
        language="ja",
        title="出席証明書",
        body="{{ attendee }}",
        by=SYSTEM,
    )

    document, _data = issue_certificate(
        kind="attendance_certificate", values=ATTENDANCE, language="ko"
    )

    assert document.languages == ["en"]
