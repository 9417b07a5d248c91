"""The showcase end to end in a real browser: a student submits a photo carrying GPS and author
metadata, the guardian consents through their link, a judge scores it, staff (with their
second factor) decide and publish, and the public exhibit shows the work while the file it
serves carries no GPS or author metadata. Nothing is fetched from another origin."""

import io
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from tests.e2e.steps import PASSWORD, follow, sign_in
from tests.factories import UserFactory
from tests.outbox.delivery import delivered_body
from tests.showcase.conftest import edition, good_standing, make_student  # noqa: F401
from tests.showcase.judging_helpers import close
from twinning.outbox.models import OutboxMessage
from twinning.review.models import Assignment
from twinning.review.services import add_reviewer, assign_reviews
from twinning.showcase.models import Entry
from twinning.showcase.services import national_round, open_judging

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gps_photo() -> bytes:
    image = Image.new("RGB", (320, 200), (40, 90, 160))
    for x in range(320):
        image.putpixel((x, 100), (250, 250, 250))
    exif = Image.Exif()
    exif[0x013B] = "Author Secretname"  # Artist
    exif[0x8298] = "Copyright Secretname"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def world(edition, springfield, staff_user):  # noqa: F811 - the showcase's edition fixture
    return edition, springfield, staff_user


def test_student_to_public_exhibit_without_metadata(live_server, browser, browser_page, world):
    edition_, springfield, staff_user = world
    base, page = live_server.url, browser_page.page
    student = make_student(edition_, springfield, first_name="Zoë", last_name="Secretname")

    # The student submits a photo with GPS and author metadata.
    sign_in(page, base, student.user.email)
    page.goto(f"{base}/showcase/{edition_.slug}/entries/new/")
    page.select_option("select[name=category]", label="Photography")
    page.fill("input[name=title]", "Bridge at dawn")
    page.fill("textarea[name=statement]", "The bridge I cross every morning.")
    page.fill("input[name=alt_text]", "A white line of light across a blue river.")
    page.set_input_files(
        "input[name=upload]",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": gps_photo()}],
    )
    follow(page.locator("main form button[type=submit]"))
    page.wait_for_url("**/showcase/entries/*/")
    with page.expect_navigation():
        page.click("button:has-text('Submit the entry')")
    entry = Entry.objects.get(title="Bridge at dawn")
    assert entry.state == "submitted"

    # The guardian follows the link in the e-mail they received (the outbox keeps it redacted).
    message = OutboxMessage.objects.get(
        to=student.guardian_email, template="showcase.consent_request"
    )
    if message.state != OutboxMessage.State.SENT:
        delivered_body(message)
    body = next(m.body for m in reversed(mail.outbox) if m.to == [student.guardian_email])
    link = re.search(r"/showcase/consent/[^\s/]+/", body).group(0)
    guardian = browser.new_context().new_page()
    guardian.goto(f"{base}{link}")
    guardian.check("input[name=participation]")
    guardian.check("input[name=publication]")
    follow(guardian.locator("main form button[type=submit]"))
    guardian.wait_for_url("**/showcase/guardian/")
    guardian.context.close()

    # The deadline passes; judging opens; a judge scores the entry in the browser.
    close(edition_)
    open_judging(edition=edition_, by=staff_user)
    national = national_round(edition_).round
    judge = UserFactory(email="judge@example.org")
    judge.set_password(PASSWORD)
    judge.save()
    add_reviewer(round=national, user=judge, by=staff_user)
    assign_reviews(round=national, by=staff_user)
    code = Assignment.objects.get(reviewer__user=judge).item.code
    judging = browser.new_context().new_page()
    sign_in(judging, base, judge.email)
    judging.goto(f"{base}/review/{code}/")
    assert "Secretname" not in judging.content()
    for field in judging.locator("input[name^=criterion_]").all():
        field.fill("8")
    with judging.expect_navigation():
        judging.click("button[value=submit]")
    assert Assignment.objects.get(reviewer__user=judge).submitted_at is not None
    judging.context.close()

    # Staff sign in with their second factor, approve, decide and publish.
    staff_user.set_password(PASSWORD)
    staff_user.save()
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    staff = browser.new_context().new_page()
    sign_in(staff, base, staff_user.email)
    staff.goto(f"{base}/staff/showcase/{edition_.slug}/judging/results/")
    staff.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    follow(staff.locator("main form button[type=submit]"))
    staff.wait_for_url("**/judging/results/")
    staff.goto(f"{base}/staff/showcase/entries/{entry.pk}/")
    with staff.expect_navigation():
        staff.click("form[action$='/approve/'] button")
    staff.goto(f"{base}/staff/showcase/{edition_.slug}/judging/results/")
    staff.select_option(
        f"#outcome-{Assignment.objects.get(reviewer__user=judge).item_id}", "winner"
    )
    staff.select_option(f"#place-{Assignment.objects.get(reviewer__user=judge).item_id}", "1")
    with staff.expect_navigation():
        staff.click("button:has-text('Record')")
    staff.goto(f"{base}/staff/showcase/{edition_.slug}/judging/")
    with staff.expect_navigation():
        staff.click("button:has-text('Publish the results')")
    assert "wait in the outbox" in staff.content()
    staff.context.close()

    # The public exhibit shows the work, with first name, community and country only.
    page.goto(f"{base}/accounts/profile/")
    page.context.clear_cookies()
    page.goto(f"{base}/showcase/{edition_.year}/")
    assert page.locator("h1").inner_text().startswith("Young Artists and Authors Showcase")
    image = page.locator("main figure img").first
    assert image.get_attribute("alt") == "A white line of light across a blue river."
    assert "Zoë, Springfield, United States" in page.content()
    assert "Secretname" not in page.content()
    with page.expect_navigation():
        page.click("main h3 a:has-text('Bridge at dawn')")
    assert "/works/" in page.url
    src = page.locator("main figure img").first.get_attribute("src")
    served = page.request.get(f"{base}{src}")
    data = served.body()
    exif = Image.open(io.BytesIO(data)).getexif()
    assert served.headers["content-type"].startswith("image/")
    assert 0x8825 not in exif and 0x013B not in exif and 0x8298 not in exif
    assert b"Secretname" not in data
    # The display image is lazy-loaded: wait until the browser has decoded it, then
    # read its size (reading at once raced the load and saw 0 on a busy CI machine).
    page.locator("main figure img").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('main figure img');"
        " return i !== null && i.complete && i.naturalWidth > 0; }"
    )
    assert page.evaluate("document.querySelector('main figure img').naturalWidth") == 320

    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
