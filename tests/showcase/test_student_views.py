"""Students' pages: the neutral age screen (PRIV-1), registration, my entries, the entry pages
and media, with role tests (student, other student, guardian, committee admin, staff,
anonymous) and C2 (another student's entry answers 404)."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.showcase.conftest import years_ago
from tests.showcase.judging_helpers import close
from tests.showcase.media import png_bytes, upload
from twinning.core.models import ActivityLog
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.services import attach_work, create_entry, make_derivatives
from twinning.youth.models import Consent, ConsentScope, Person


@pytest.fixture
def entry(student, edition):
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title="River light",
        alt_text="A river at dawn",
        by=student.user,
    )
    attach_work(entry=entry, upload=upload(png_bytes(), "river.png"), by=student.user)
    make_derivatives(entry_file=EntryFile.objects.get(entry=entry))
    return Entry.objects.get(pk=entry.pk)


def _screen(client, edition, born, community):
    return client.post(
        reverse("showcase:edition_enter", kwargs={"edition": edition.slug}),
        {"date_of_birth": born.isoformat(), "community": community.slug},
    )


# --- The age screen and registration (PRIV-1) -------------------------------------------------


def test_enter_page_asks_the_date_of_birth_neutrally(anonymous, edition):
    response = anonymous.get(reverse("showcase:edition_enter", kwargs={"edition": edition.slug}))

    html = response.content.decode()
    assert 'type="date"' in html
    form = html.split("<form")[1].split("</form>")[0]
    form = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">', "", form)
    assert "13" not in form  # no hint of the threshold (the random CSRF token may hold "13")


def test_under_thirteen_gets_a_kind_refusal_and_nothing_is_stored(anonymous, edition, springfield):
    born = years_ago(13, days=-1, on=edition.cutoff_date)
    logs_before = ActivityLog.objects.count()

    response = _screen(anonymous, edition, born, springfield)

    assert "Thank you for your interest" in response.content.decode()
    assert Person.objects.count() == 0
    assert ActivityLog.objects.count() == logs_before
    assert born.isoformat() not in str(dict(anonymous.session))


def test_refused_child_cannot_retry_at_once_with_another_date(anonymous, edition, springfield):
    _screen(anonymous, edition, years_ago(12), springfield)

    response = _screen(anonymous, edition, years_ago(15), springfield)

    assert "Thank you for your interest" in response.content.decode()
    assert "showcase_screen" not in anonymous.session


def test_ineligible_community_is_told_why_before_starting(anonymous, edition):
    from tests.factories import CommunityFactory

    far = CommunityFactory(name="Farawayville")

    response = _screen(anonymous, edition, years_ago(15), far)

    assert "Farawayville is neither a member community" in response.content.decode()


def test_eligible_minor_registers_and_guardian_is_asked(anonymous, edition, springfield):
    response = _screen(anonymous, edition, years_ago(15), springfield)
    assert response.status_code == 302

    response = anonymous.post(
        reverse("showcase:edition_register", kwargs={"edition": edition.slug}),
        {
            "first_name": "Mary",
            "last_name": "Anning",
            "email": "mary@example.org",
            "password": "fossils-by-the-sea-1799",
            "school": "",
            "guardian_email": "parent@example.net",
        },
    )

    assert response.status_code == 302
    student = Person.objects.get()
    assert (student.first_name, student.guardian_email) == ("Mary", "parent@example.net")
    assert student.consents.get().answer("participation").granted_at is None
    assert anonymous.get(reverse("showcase:my_entries")).status_code == 200


def test_registration_refuses_the_same_address_for_guardian(anonymous, edition, springfield):
    _screen(anonymous, edition, years_ago(15), springfield)

    response = anonymous.post(
        reverse("showcase:edition_register", kwargs={"edition": edition.slug}),
        {
            "first_name": "Mary",
            "last_name": "Anning",
            "email": "mary@example.org",
            "password": "fossils-by-the-sea-1799",
            "guardian_email": "Mary@example.org",
        },
    )

    assert "must be their own" in response.content.decode()
    assert Person.objects.count() == 0


def test_adult_registers_without_a_guardian_field(anonymous, edition, springfield):
    _screen(anonymous, edition, years_ago(18, days=10), springfield)

    response = anonymous.get(reverse("showcase:edition_register", kwargs={"edition": edition.slug}))

    assert "guardian_email" not in response.content.decode()
    assert "publication_consent" in response.content.decode()


# --- My entries --------------------------------------------------------------------------------


def test_my_entries_shows_state_and_what_is_missing(student_client, entry):
    response = student_client.get(reverse("showcase:my_entries"))

    html = response.content.decode()
    assert "River light" in html
    assert "Draft" in html


# --- After entries close ------------------------------------------------------------------------


def test_the_entry_page_says_entries_closed_before_anything_is_typed(anonymous, edition):
    close(edition)

    response = anonymous.get(reverse("showcase:edition_enter", kwargs={"edition": edition.slug}))

    html = response.content.decode()
    assert f"Entries to the {edition.year} showcase closed on" in html
    assert 'name="date_of_birth"' not in html


def test_an_eligibility_check_sent_after_closing_stores_nothing(anonymous, edition, springfield):
    close(edition)

    response = _screen(anonymous, edition, years_ago(15), springfield)

    assert "closed on" in response.content.decode()
    assert "showcase_screen" not in anonymous.session


def test_registering_after_entries_close_sends_back_to_the_reason(anonymous, edition, springfield):
    _screen(anonymous, edition, years_ago(15), springfield)
    close(edition)

    response = anonymous.post(
        reverse("showcase:edition_register", kwargs={"edition": edition.slug}),
        {
            "first_name": "Late",
            "last_name": "Comer",
            "email": "late@example.org",
            "password": "a-Long-enough-passw0rd",
            "guardian_email": "parent@example.net",
        },
        follow=True,
    )

    assert "closed on" in response.content.decode()
    assert Person.objects.count() == 0


def test_my_entries_says_why_the_guardian_link_cannot_be_sent_again(edition, springfield):
    from tests.conftest import _client_for
    from tests.showcase.conftest import make_student

    pending = make_student(edition, springfield)
    close(edition)
    client = _client_for(pending.user)

    page = client.get(reverse("showcase:my_entries")).content.decode()
    resent = client.post(reverse("showcase:consent_resend"), follow=True).content.decode()

    assert "No showcase edition is accepting entries now" in page
    assert "Send the link to my guardian again" not in page
    assert "No showcase edition is accepting entries now" in resent
    assert pending.consents.count() == 1


def test_my_entries_shows_consent_pending(edition, springfield):
    from tests.conftest import _client_for
    from tests.showcase.conftest import make_student

    pending = make_student(edition, springfield)

    response = _client_for(pending.user).get(reverse("showcase:my_entries"))

    assert "Consent pending" in response.content.decode()


def test_entry_detail_lists_processing_and_consent_gaps(edition, springfield):
    from tests.conftest import _client_for
    from tests.showcase.conftest import make_student

    pending = make_student(edition, springfield)
    entry = create_entry(
        student=pending,
        category=edition.categories.get(slug="art"),
        title="Collage",
        by=pending.user,
    )
    attach_work(entry=entry, upload=upload(png_bytes(), "c.png"), by=pending.user)

    response = _client_for(pending.user).get(entry.get_absolute_url())

    html = response.content.decode()
    assert "being prepared" in html
    assert "guardian&#x27;s consent is still needed" in html


def test_student_creates_an_entry_with_a_file(student_client, student, edition):
    response = student_client.post(
        reverse("showcase:entry_create", kwargs={"edition": edition.slug}),
        {
            "category": edition.categories.get(slug="art").pk,
            "title": "Sunflowers",
            "statement": "About bridges",
            "alt_text": "Yellow flowers",
            "upload": upload(png_bytes(), "sun.png"),
        },
    )

    entry = Entry.objects.get(title="Sunflowers")
    assert response.status_code == 302
    assert entry.student == student
    assert EntryFile.objects.get(entry=entry).display_name == "sun.png"


def test_uploading_a_bad_file_shows_a_message_and_keeps_nothing(student_client, entry):
    response = student_client.post(
        reverse("showcase:entry_edit", kwargs={"entry_id": entry.pk}),
        {
            "title": "River light",
            "alt_text": "A river",
            "upload": upload(b"<svg><script>alert(1)</script></svg>", "x.png"),
        },
    )

    assert response.status_code == 200
    assert 'class="notice notice--danger"' in response.content.decode()
    assert EntryFile.objects.filter(entry=entry).get().display_name == "river.png"


def test_student_submits_their_entry(student_client, entry):
    response = student_client.post(reverse("showcase:entry_submit", kwargs={"entry_id": entry.pk}))

    assert response.status_code == 302
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.SUBMITTED


def test_student_withdraws_their_entry(student_client, entry):
    student_client.post(reverse("showcase:entry_withdraw", kwargs={"entry_id": entry.pk}))

    assert Entry.objects.get(pk=entry.pk).state == Entry.State.WITHDRAWN


def test_own_media_is_served_with_safe_headers(student_client, entry):
    response = student_client.get(
        reverse("showcase:entry_media", kwargs={"entry_id": entry.pk, "variant": "display"})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_unknown_media_variant_is_404(student_client, entry):
    response = student_client.get(f"/showcase/entries/{entry.pk}/media/../")

    assert response.status_code == 404


# --- Roles and C2 --------------------------------------------------------------------------------

ENTRY_PAGES = ["showcase:entry_detail", "showcase:entry_edit"]


@pytest.mark.parametrize("name", ENTRY_PAGES)
def test_entry_pages_answer_their_author(student_client, entry, name):
    assert student_client.get(reverse(name, kwargs={"entry_id": entry.pk})).status_code == 200


@pytest.mark.parametrize("name", ENTRY_PAGES)
@pytest.mark.parametrize(
    "role",
    ["other_student_client", "committee_admin", "public", "staff"],
)
def test_entry_pages_of_another_student_answer_404(request, entry, name, role):
    client = request.getfixturevalue(role)

    assert client.get(reverse(name, kwargs={"entry_id": entry.pk})).status_code == 404


@pytest.mark.parametrize("name", ENTRY_PAGES)
def test_entry_pages_are_not_for_guardians_who_have_no_account(guardian_client, entry, name):
    response = guardian_client.get(reverse(name, kwargs={"entry_id": entry.pk}))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ENTRY_PAGES)
def test_entry_pages_send_anonymous_to_sign_in(anonymous, entry, name):
    response = anonymous.get(reverse(name, kwargs={"entry_id": entry.pk}))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["showcase:entry_submit", "showcase:entry_withdraw"])
def test_another_student_cannot_submit_or_withdraw(other_student_client, entry, name):
    response = other_student_client.post(reverse(name, kwargs={"entry_id": entry.pk}))

    assert response.status_code == 404
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.DRAFT


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student_client", 200),
        ("staff", 200),
        ("other_student_client", 404),
        ("guardian_client", 302),
        ("committee_admin", 404),
        ("staff_without_otp", 404),
        ("anonymous", 302),
    ],
)
def test_entry_media_roles(request, entry, role, status):
    client = request.getfixturevalue(role)

    response = client.get(
        reverse("showcase:entry_media", kwargs={"entry_id": entry.pk, "variant": "original"})
    )

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student_client", 200),
        ("other_student_client", 200),
        ("committee_admin", 200),
        ("public", 200),
        ("staff", 200),
        ("anonymous", 302),
    ],
)
def test_my_entries_roles(request, student, role, status):
    assert request.getfixturevalue(role).get(reverse("showcase:my_entries")).status_code == status


def test_my_entries_shows_only_the_own_entries(other_student_client, entry):
    response = other_student_client.get(reverse("showcase:my_entries"))

    assert "River light" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student_client", 200),
        ("other_student_client", 200),
        ("committee_admin", 404),
        ("staff", 404),
        ("anonymous", 302),
    ],
)
def test_my_data_roles(request, student, role, status):
    assert request.getfixturevalue(role).get(reverse("showcase:my_data")).status_code == status


def test_edition_list_is_public(anonymous, edition):
    response = anonymous.get(reverse("showcase:edition_list"))

    assert "Bridges" in response.content.decode()


def test_resending_the_consent_link_queues_a_new_one(edition, springfield):
    from tests.conftest import _client_for
    from tests.showcase.conftest import make_student

    pending = make_student(edition, springfield)

    _client_for(pending.user).post(reverse("showcase:consent_resend"))

    assert pending.consents.count() == 2
    assert pending.consents.filter(token_hash__isnull=False).count() == 1


def test_adult_withdraws_and_gives_publication_consent(edition, springfield):
    from tests.conftest import _client_for
    from tests.showcase.conftest import make_student

    adult = make_student(edition, springfield, age=18, publication_consent=True)
    client = _client_for(adult.user)

    client.post(reverse("showcase:my_publication"), {"publication": "no"})
    assert not adult.consents.active("showcase", "publication").exists()

    client.post(reverse("showcase:my_publication"), {"publication": "yes"})
    assert adult.consents.active("showcase", "publication").exists()


def test_minor_cannot_set_their_own_publication_consent(student_client, student):
    ConsentScope.objects.filter(consent__person=student, scope="publication").update(
        withdrawn_at=datetime.datetime.now(datetime.UTC)
    )

    response = student_client.post(reverse("showcase:my_publication"), {"publication": "yes"})

    assert response.status_code == 404
    assert not Consent.objects.active("showcase", "publication").filter(person=student).exists()
