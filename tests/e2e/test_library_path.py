"""The library end to end in Chromium (issue 11, section 5): a committee admin in good
standing signs in, searches the library for a word that is only inside a member-only
toolkit's PDF (not in its title or summary), opens the toolkit and downloads the PDF; the file
is a PDF with the uploaded text, and the download is counted for their committee. Nothing is
fetched from another origin and the console stays free of errors."""

import pytest

from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.library.helpers import committee, document, pdf_upload
from twinning.library.models import Download, Resource
from twinning.library.text import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_committee_admin_finds_a_toolkit_by_a_word_inside_its_pdf_and_downloads_it(
    browser, live_server
):
    member, admin = committee("Springfield Sister Cities", "casey@springfield.example")
    admin.set_password(PASSWORD)
    admin.save()
    toolkit = document(
        "Urban farming toolkit",
        pdf_upload("Rooftop aquaponics for the partner schools", name="urban-farming.pdf"),
        summary="Gardens that committees grow with their partner cities.",
        access=Resource.Access.MEMBERS,
    )
    document(
        "Festival toolkit",
        pdf_upload("Stages, sound and food stalls", name="festival.pdf"),
        access=Resource.Access.MEMBERS,
    )
    context = browser.new_context(locale="en", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, base, admin.email)
    page.goto(f"{base}/library/")
    page.fill("input[name=q]", "aquaponic")
    follow(page.get_by_role("button", name="Search"))
    results = page.locator("#results").inner_text()
    follow(page.get_by_role("link", name="Urban farming toolkit"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download urban-farming.pdf").click()
    received = download.value
    content = received.path().read_bytes()
    context.close()

    assert "Urban farming toolkit" in results
    assert "Festival toolkit" not in results
    assert received.suggested_filename == "urban-farming.pdf"
    # The pipeline rebuilds a PDF page by page (UPL-3): the same text, not the same bytes.
    assert content.startswith(b"%PDF")
    assert "Rooftop aquaponics for the partner schools" in pdf_text(content)
    assert Download.objects.filter(resource=toolkit, user=admin, member=member).count() == 1
    assert all(request.startswith(base) for request in requests)
    assert errors == []
