"""The documents services: writing from the registry in one or two languages, what the
committee fills in, kept documents made again word for word, staff's texts and their checks,
the visa letter as one of these documents, and who is refused."""

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from tests.documents.helpers import AGREEMENT_VALUES, japanese_agreement_text, lapsed
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.media import private_storage
from twinning.documents.compose import initial_fields
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.documents.services import (
    generate_document,
    preview_document,
    regenerate_document,
    save_document_template,
)

pytestmark = pytest.mark.django_db


def _agreement(member, partnership, by, **values):
    return generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=partnership,
        values={**AGREEMENT_VALUES, **values},
        language="en",
        by=by,
    )


def _pdf_text(document) -> str:
    with private_storage.open(document.file_name, "rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def test_an_agreement_with_a_japanese_partner_is_written_in_english_and_japanese(
    member, kyoto, committee_admin_user
):
    japanese_agreement_text()

    document = _agreement(member, kyoto, committee_admin_user)

    assert document.languages == ["en", "ja"]
    english, japanese = document.texts
    assert english["title"] == "Sister city agreement between Springfield and 京都市 Kyoto"
    assert japanese["title"] == "Springfieldと京都市 Kyotoの姉妹都市提携協定書"
    assert "2026年5月1日" in japanese["body"]
    assert "May 1, 2026" in english["body"]


def test_an_agreement_is_in_one_language_when_the_partners_has_no_text(
    member, kyoto, committee_admin_user
):
    document = _agreement(member, kyoto, committee_admin_user)

    assert document.languages == ["en"]


def test_the_pdf_of_a_bilingual_agreement_prints_both_communities_and_the_japanese_text(
    member, kyoto, committee_admin_user, django_capture_on_commit_callbacks
):
    japanese_agreement_text()

    with django_capture_on_commit_callbacks(execute=True):
        document = _agreement(member, kyoto, committee_admin_user)

    document.refresh_from_db()
    assert document.state == GeneratedDocument.State.READY
    text = _pdf_text(document)
    assert "Springfield" in text
    assert "京都市" in text
    assert "姉妹都市提携協定書" in text
    assert "門川大作" in text


def test_the_signatories_are_suggested_from_the_officers_on_record(member, kyoto):
    assert initial_fields(member=member, partnership=kyoto) == {
        "our_signatory": "Joe Quimby",
        "partner_signatory": "門川大作",
    }


def test_a_missing_field_is_refused_by_name_and_nothing_is_kept(
    member, kyoto, committee_admin_user
):
    with pytest.raises(ValidationError) as error:
        _agreement(member, kyoto, committee_admin_user, signing_place="  ")

    assert list(error.value.message_dict) == ["signing_place"]
    assert GeneratedDocument.objects.count() == 0


def test_a_preview_writes_the_text_and_keeps_nothing(member, kyoto, committee_admin_user):
    texts = preview_document(
        kind="partnership_agreement",
        member=member,
        partnership=kyoto,
        values=AGREEMENT_VALUES,
        by=committee_admin_user,
    )

    assert "Education\nCulture" in texts[0]["body"]
    assert GeneratedDocument.objects.count() == 0


def test_another_committees_partnership_is_refused(member, committee_admin_user):
    theirs = PartnershipFactory(community_a=CommunityFactory(), community_b=CommunityFactory())

    with pytest.raises(NotAllowed):
        _agreement(member, theirs, committee_admin_user)

    assert GeneratedDocument.objects.count() == 0


def test_another_committees_admin_may_not_write_for_this_member(
    member, kyoto, other_committee_admin_user
):
    with pytest.raises(NotAllowed):
        _agreement(member, kyoto, other_committee_admin_user)


def test_a_lapsed_member_may_not_write_documents(
    springfield, committee_admin_user, springfield_member
):
    from tests.documents.helpers import kyoto_partnership

    lapsed(springfield_member)
    partnership = kyoto_partnership(springfield, springfield_member)

    with pytest.raises(NotAllowed):
        _agreement(springfield_member, partnership, committee_admin_user)


def test_making_a_document_again_gives_the_same_text_after_staff_change_their_text(
    member, kyoto, committee_admin_user, django_capture_on_commit_callbacks
):
    japanese_agreement_text()
    with django_capture_on_commit_callbacks(execute=True):
        first = _agreement(member, kyoto, committee_admin_user)
    save_document_template(
        kind="partnership_agreement", language="ja", title="新しい題", body="新しい本文", by=SYSTEM
    )

    with django_capture_on_commit_callbacks(execute=True):
        again = regenerate_document(document=first, by=committee_admin_user)

    again.refresh_from_db()
    first.refresh_from_db()
    assert again.texts == first.texts
    assert again.regenerated_from == first
    assert again.file_name != first.file_name
    assert _pdf_text(again) == _pdf_text(first)


def test_a_certificate_needs_no_partnership(member, committee_admin_user):
    document = generate_document(
        kind="award_certificate",
        member=member,
        values={
            "award": "Best Youth Exchange",
            "recipient": "Lisa Simpson",
            "award_date": "2026-07-14",
            "our_signatory": "Joe Quimby",
        },
        by=committee_admin_user,
    )

    assert document.texts[0]["title"] == "Best Youth Exchange"
    assert "presents Best Youth Exchange to Lisa Simpson." in document.texts[0]["body"]


def test_each_save_of_staffs_text_is_a_new_version(staff_user):
    for body in ("One {{ partner.name }}", "Two {{ partner.name }}"):
        save_document_template(
            kind="partnership_invitation",
            language="fr",
            title="Invitation",
            body=body,
            by=staff_user,
        )

    assert list(
        DocumentTemplate.objects.filter(kind="partnership_invitation").values_list(
            "version", "body"
        )
    ) == [(2, "Two {{ partner.name }}"), (1, "One {{ partner.name }}")]


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ("Hello {{ mayor_password }}", "Unknown placeholder(s): mayor_password"),
        ("{% load static %}{{ partner.name }}", "uses {% load %}"),
        ("{% if partner %}unclosed", "not a valid template"),
    ],
)
def test_staffs_text_with_a_mistake_is_refused_and_nothing_is_saved(
    staff_user, body, field_message
):
    with pytest.raises(ValidationError) as error:
        save_document_template(
            kind="partnership_invitation", language="fr", title="T", body=body, by=staff_user
        )

    assert field_message in error.value.message_dict["body"][0]
    assert DocumentTemplate.objects.count() == 0


def test_only_verified_staff_save_texts(committee_admin_user):
    with pytest.raises(NotAllowed):
        save_document_template(
            kind="partnership_invitation",
            language="fr",
            title="T",
            body="B",
            by=committee_admin_user,
        )


def test_a_member_with_no_partnership_cannot_ask_for_a_partnership_document(
    committee_admin_user,
):
    from tests.documents.helpers import current

    member = current(MemberFactory())
    member.admins.add(committee_admin_user)

    with pytest.raises(ValidationError) as error:
        generate_document(
            kind="partnership_agreement",
            member=member,
            values=AGREEMENT_VALUES,
            by=committee_admin_user,
        )

    assert "partnership" in error.value.message_dict
