"""The documents pages: the committee's documents home, a document's form with its preview,
making it, its page, its PDF and making it again; staff's texts. Everyone but the member's own
committee admins is refused (404, C12); a lapsed member is told why (403) and can do nothing."""

import pytest
from pypdf import PdfReader

from tests.documents.helpers import AGREEMENT_VALUES, japanese_agreement_text, lapsed
from twinning.core.authz import SYSTEM
from twinning.documents.kinds import get_kind, translated_languages
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.documents.services import generate_document, save_document_template

pytestmark = pytest.mark.django_db

ROLES_REFUSED = [
    ("anonymous", 302),
    ("public", 404),
    ("other_committee_admin", 404),
    ("staff_without_otp", 404),
    ("staff", 404),
]


def _form_data(**changes):
    data = {**AGREEMENT_VALUES, "language": "en", "action": "generate"}
    data["signing_date"] = "2026-05-01"
    return {**data, **changes}


def _document(member, kyoto):
    return generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=kyoto,
        values=AGREEMENT_VALUES,
        by=SYSTEM,
    )


def _urls(member, kyoto, document):
    base = f"/portal/{member.slug}/documents/"
    return {
        "home": base,
        "new": f"{base}new/partnership_agreement/{kyoto.pk}/",
        "detail": f"{base}{document.pk}/",
        "pdf": f"{base}{document.pk}/document.pdf",
    }


def test_the_documents_home_lists_each_partnership_with_its_documents(
    committee_admin, member, kyoto
):
    response = committee_admin.get(f"/portal/{member.slug}/documents/")

    assert response.status_code == 200
    assert [row["partner"].name for row in response.context["partnerships"]] == ["京都市 Kyoto"]
    assert f"new/partnership_agreement/{kyoto.pk}/" in response.content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_the_documents_home_queries_do_not_grow_with_the_documents(
    committee_admin, member, kyoto, count, django_assert_num_queries
):
    for _ in range(count):
        _document(member, kyoto)
    committee_admin.get(f"/portal/{member.slug}/documents/")  # warm the caches

    # session, user, member, the admin check, the membership's status, the member's
    # communities, partnerships, count, page, and the session's idle-time stamp
    with django_assert_num_queries(10):
        response = committee_admin.get(f"/portal/{member.slug}/documents/")

    assert len(response.context["page"].object_list) == count


def test_the_form_suggests_the_signatories_from_the_officers(committee_admin, member, kyoto):
    response = committee_admin.get(
        f"/portal/{member.slug}/documents/new/partnership_agreement/{kyoto.pk}/"
    )

    form = response.context["form"]
    assert form["our_signatory"].value() == "Joe Quimby"
    assert form["partner_signatory"].value() == "門川大作"


def test_a_preview_shows_both_languages_and_keeps_nothing(committee_admin, member, kyoto):
    japanese_agreement_text()

    response = committee_admin.post(
        f"/portal/{member.slug}/documents/new/partnership_agreement/{kyoto.pk}/",
        _form_data(action="preview"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sister city agreement between Springfield and 京都市 Kyoto" in page
    assert "Springfieldと京都市 Kyotoの姉妹都市提携協定書" in page
    assert GeneratedDocument.objects.count() == 0


def test_making_a_document_keeps_it_and_its_pdf_opens(
    committee_admin, member, kyoto, django_capture_on_commit_callbacks
):
    japanese_agreement_text()
    with django_capture_on_commit_callbacks(execute=True):
        response = committee_admin.post(
            f"/portal/{member.slug}/documents/new/partnership_agreement/{kyoto.pk}/",
            _form_data(),
        )
    document = GeneratedDocument.objects.get()
    assert response.url == f"/portal/{member.slug}/documents/{document.pk}/"

    pdf = committee_admin.get(f"/portal/{member.slug}/documents/{document.pk}/document.pdf")

    assert pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    import io

    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "Springfield" in text
    assert "京都市" in text


def test_a_form_with_a_missing_field_says_so_and_keeps_nothing(committee_admin, member, kyoto):
    response = committee_admin.post(
        f"/portal/{member.slug}/documents/new/partnership_agreement/{kyoto.pk}/",
        _form_data(signing_place=""),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["signing_place"] == ["This field is required."]
    assert GeneratedDocument.objects.count() == 0


def test_the_document_page_shows_its_text_and_making_it_again_keeps_the_text(
    committee_admin, member, kyoto, django_capture_on_commit_callbacks
):
    document = _document(member, kyoto)
    page = committee_admin.get(f"/portal/{member.slug}/documents/{document.pk}/")
    assert "Springfield City Hall" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = committee_admin.post(
            f"/portal/{member.slug}/documents/{document.pk}/regenerate/"
        )

    again = GeneratedDocument.objects.exclude(pk=document.pk).get()
    assert response.url == f"/portal/{member.slug}/documents/{again.pk}/"
    assert again.texts == document.texts


def test_another_committees_partnership_in_the_address_is_not_found(
    committee_admin, member, kyoto, other_committee_admin_user
):
    from tests.factories import CommunityFactory, PartnershipFactory

    theirs = PartnershipFactory(community_a=CommunityFactory(), community_b=CommunityFactory())

    response = committee_admin.get(
        f"/portal/{member.slug}/documents/new/partnership_agreement/{theirs.pk}/"
    )

    assert response.status_code == 404


def test_another_committees_document_under_ones_own_member_is_not_found(
    other_committee_admin, other_committee_admin_user, member, kyoto
):
    from tests.documents.helpers import current

    other = current(other_committee_admin_user.administered_members.get())
    document = _document(member, kyoto)

    response = other_committee_admin.get(f"/portal/{other.slug}/documents/{document.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["home", "new", "detail", "pdf"])
@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_the_committees_pages_refuse_everyone_else(  # noqa: PLR0917 - pytest fixtures
    request, role, status, page, member, kyoto, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document(member, kyoto)
    client = request.getfixturevalue(role)

    response = client.get(_urls(member, kyoto, document)[page])

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_making_again_refuses_everyone_else(request, role, status, member, kyoto):
    document = _document(member, kyoto)
    client = request.getfixturevalue(role)

    response = client.post(f"/portal/{member.slug}/documents/{document.pk}/regenerate/")

    assert response.status_code == status
    assert GeneratedDocument.objects.count() == 1


def test_a_lapsed_member_is_told_why_and_can_make_nothing(
    committee_admin, springfield, springfield_member, committee_admin_user
):
    from tests.documents.helpers import kyoto_partnership

    lapsed(springfield_member)
    kyoto = kyoto_partnership(springfield, springfield_member)
    base = f"/portal/{springfield_member.slug}/documents/"

    home = committee_admin.get(base)
    made = committee_admin.post(f"{base}new/partnership_agreement/{kyoto.pk}/", _form_data())

    assert home.status_code == 403
    assert "Your membership is not current" in home.content.decode()
    assert "Renew your membership" in home.content.decode()
    assert made.status_code == 403
    assert GeneratedDocument.objects.count() == 0


# --- Staff's texts -----------------------------------------------------------------------------


def test_staff_see_every_document_and_its_languages(staff):
    japanese_agreement_text()

    response = staff.get("/staff/documents/")

    rows = {row["kind"].key: row["languages"] for row in response.context["rows"]}
    # English is the code's; French, Spanish and German the catalogue's translation of it.
    assert [
        (lang["code"], lang["version"], lang["translated"])
        for lang in rows["partnership_agreement"]
    ] == [
        ("en", 0, False),
        ("fr", 0, True),
        ("es", 0, True),
        ("de", 0, True),
        ("ja", 1, False),
    ]
    assert "visa_letter" in rows
    assert "standard, translated" in response.content.decode()


def test_staff_save_a_japanese_text_as_a_new_version(staff):
    response = staff.post(
        "/staff/documents/partnership_invitation/ja/",
        {"title": "{{ community.name }}からの招待", "body": "{{ partner.name }}の皆様へ"},
    )

    assert response.status_code == 302
    saved = DocumentTemplate.objects.get()
    assert (saved.language, saved.version, saved.title) == (
        "ja",
        1,
        "{{ community.name }}からの招待",
    )


def test_staffs_text_with_an_unknown_placeholder_is_shown_again_with_the_reason(staff):
    response = staff.post(
        "/staff/documents/partnership_invitation/fr/", {"title": "T", "body": "{{ secret }}"}
    )

    assert response.status_code == 400
    assert "Unknown placeholder(s): secret" in response.context["form"].errors["body"][0]
    assert DocumentTemplate.objects.count() == 0


def test_staff_asking_for_a_new_language_go_to_its_page(staff):
    response = staff.get("/staff/documents/?kind=partnership_agreement&language=ko")

    assert response.url == "/staff/documents/partnership_agreement/ko/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("public", 404), ("committee_admin", 404), ("staff_without_otp", 302)],
)
def test_staffs_text_pages_refuse_everyone_else(request, role, status):
    client = request.getfixturevalue(role)

    listing = client.get("/staff/documents/")
    saving = client.post("/staff/documents/partnership_invitation/fr/", {"title": "T", "body": "B"})

    assert (listing.status_code, saving.status_code) == (status, status)
    assert DocumentTemplate.objects.count() == 0


@pytest.mark.parametrize("languages", [["ja"], ["ja", "fr", "de", "ko"]])
def test_staffs_text_list_queries_do_not_grow_with_the_texts(
    staff, languages, django_assert_num_queries
):
    for language in languages:
        for _ in range(2):
            save_document_template(
                kind="partnership_invitation",
                language=language,
                title="T",
                body="{{ partner.name }}",
                by=SYSTEM,
            )
    staff.get("/staff/documents/")  # warm the caches

    # session, user, the second factor, the texts, and the session's idle-time stamp
    with django_assert_num_queries(4):
        response = staff.get("/staff/documents/")

    rows = {row["kind"].key: row["languages"] for row in response.context["rows"]}
    invitation = get_kind("partnership_invitation")
    assert [lang["code"] for lang in rows["partnership_invitation"]] == [
        "en",
        *translated_languages(invitation),
        *sorted(set(languages) - set(translated_languages(invitation))),
    ]
