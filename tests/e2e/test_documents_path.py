"""Documents generated from the registry, end to end in Chromium (issue 11, section 5, the
second part of the browser test): a committee admin goes from their home to their documents,
fills in what the registry does not know for an agreement with their Japanese partner,
previews it in English and Japanese side by side, makes it and opens its PDF, which prints
both communities' names. Nothing is fetched from another origin; the console stays clean."""

import io

import pytest
from pypdf import PdfReader

from tests.documents.helpers import current, japanese_agreement_text, kyoto_partnership
from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.factories import CommunityFactory, MemberFactory, UserFactory
from twinning.documents.models import GeneratedDocument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_committee_admin_makes_a_bilingual_agreement_and_opens_its_pdf(browser_page):
    springfield = CommunityFactory(name="Springfield", country__code="US")
    member = current(MemberFactory(name="Springfield Sister Cities", communities=[springfield]))
    admin = UserFactory(email="admin@springfield.example")
    admin.set_password(PASSWORD)
    admin.save()
    member.admins.add(admin)
    kyoto_partnership(springfield, member)
    japanese_agreement_text()
    page, base = browser_page.page, browser_page.origin

    sign_in(page, base, admin.email)
    page.goto(f"{base}/home/")
    follow(page.get_by_role("link", name="Documents: agreements, invitations, certificates").first)
    follow(page.get_by_role("link", name="Partnership agreement with 京都市 Kyoto"))
    page.fill("input[name=signing_date]", "2026-05-01")
    page.fill("input[name=signing_place]", "Springfield City Hall")
    page.fill("textarea[name=fields_of_cooperation]", "Education\nCulture")
    follow(page.get_by_role("button", name="Preview"))
    preview = page.content()
    assert "Sister city agreement between Springfield and 京都市 Kyoto" in preview
    assert "Springfieldと京都市 Kyotoの姉妹都市提携協定書" in preview
    follow(page.get_by_role("button", name="Make the document (PDF)"))

    href = page.get_by_role("link", name="Open the PDF").get_attribute("href")
    response = page.request.get(f"{base}{href}")

    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Springfield" in text
    assert "京都市" in text
    assert GeneratedDocument.objects.get().languages == ["en", "ja"]
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
