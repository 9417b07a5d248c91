"""Guardians' pages (AUTH-11, PRIV-4): the single-use link leaves the URL at once and is spent by
the answer, not by opening it (mail scanners open links); a used or expired link answers 410
and an unknown one 404, each saying so in words; separate scopes; withdrawal at once; data
download and erasure request; role tests (guardian, other guardian, student, staff,
anonymous)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.outbox.delivery import delivered_body
from tests.showcase.conftest import make_student
from twinning.outbox.models import OutboxMessage
from twinning.showcase.models import ErasureRequest
from twinning.showcase.services import manage_token, request_guardian_consent
from twinning.youth.models import Consent, Guardian


@pytest.fixture
def pending(edition, springfield):
    return make_student(edition, springfield, first_name="Emmy", guardian_email="g@example.net")


def _token(student):
    """The token in the link the guardian receives (sent once, then read from the mail)."""
    message = OutboxMessage.objects.filter(to=student.guardian_email).latest("pk")
    if message.state != OutboxMessage.State.SENT:
        delivered_body(message)
    body = next(m.body for m in reversed(mail.outbox) if m.to == [student.guardian_email])
    return body.split("/showcase/consent/")[1].split("/")[0]


def test_consent_link_moves_the_token_out_of_the_url(anonymous, pending):
    response = anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))

    assert response.status_code == 302
    assert response["Location"] == reverse("showcase:consent_form")
    page = anonymous.get(response["Location"])
    assert "Consent for Emmy" in page.content.decode()
    assert _token(pending) not in page.content.decode()


def test_opening_the_consent_link_spends_nothing(anonymous, pending):
    token = _token(pending)

    scanner = Client().get(reverse("showcase:consent_open", args=[token]), follow=True)
    guardian = anonymous.get(reverse("showcase:consent_open", args=[token]), follow=True)

    assert "Consent for Emmy" in scanner.content.decode()
    assert "Consent for Emmy" in guardian.content.decode()
    consent = pending.consents.get()
    assert (consent.token_used_at, consent.responded_at) == (None, None)


def test_the_answer_spends_the_link_and_a_replay_says_it_was_used(anonymous, pending):
    token = _token(pending)
    anonymous.get(reverse("showcase:consent_open", args=[token]))
    anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})

    replay = Client().get(reverse("showcase:consent_open", args=[token]))

    assert pending.consents.get().token_used_at is not None
    assert replay.status_code == 410
    assert "This consent link has been used" in replay.content.decode()
    assert "see or withdraw the consent" in replay.content.decode()


def test_an_answer_from_a_second_tab_after_the_first_says_it_was_used(anonymous, pending):
    token = _token(pending)
    other_tab = Client()
    anonymous.get(reverse("showcase:consent_open", args=[token]))
    other_tab.get(reverse("showcase:consent_open", args=[token]))
    anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})

    late = other_tab.post(
        reverse("showcase:consent_form"), {"participation": "on", "publication": "on"}
    )

    assert late.status_code == 410
    assert "This consent link has been used" in late.content.decode()
    assert pending.consents.get().scopes == ["participation"]


def test_expired_consent_link_says_so_and_what_to_do(anonymous, pending):
    token = _token(pending)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = anonymous.get(reverse("showcase:consent_open", args=[token]))

    assert response.status_code == 410
    assert "This consent link has expired" in response.content.decode()
    assert "Ask the student to send you a new one" in response.content.decode()


def test_a_link_expiring_between_opening_and_answering_records_nothing(anonymous, pending):
    token, expiry = _token(pending), pending.consents.get().token_expires_at
    with time_machine.travel(expiry - datetime.timedelta(minutes=1)):
        anonymous.get(reverse("showcase:consent_open", args=[token]))

    with time_machine.travel(expiry + datetime.timedelta(minutes=1)):
        response = anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})

    assert response.status_code == 410
    assert pending.consents.get().responded_at is None


def test_an_unknown_or_replaced_consent_link_says_so_in_words(anonymous, pending):
    old = _token(pending)
    request_guardian_consent(student=pending, by=pending.user)

    replaced = anonymous.get(reverse("showcase:consent_open", args=[old]))
    no_session = Client().get(reverse("showcase:consent_form"))

    assert (replaced.status_code, no_session.status_code) == (404, 404)
    assert "This consent link does not work" in replaced.content.decode()
    assert "use the most recent e-mail" in replaced.content.decode()


def test_guardian_consents_to_participation_only(anonymous, pending):
    anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))

    response = anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})

    consent = pending.consents.get()
    assert response["Location"] == reverse("showcase:guardian_home")
    assert consent.scopes == ["participation"]
    assert OutboxMessage.objects.filter(template="showcase.consent_confirmed").count() == 1


def test_confirmation_mail_manage_link_opens_the_guardian_page(pending, anonymous):
    anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))
    anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})
    from django.test import Client

    fresh = Client()
    response = fresh.get(
        reverse("showcase:guardian_link", args=[manage_token(pending.consents.get())])
    )

    assert response["Location"] == reverse("showcase:guardian_home")
    assert "Consent and data for Emmy" in fresh.get(response["Location"]).content.decode()


def test_guardian_withdraws_publication_at_once(guardian_client, student):
    response = guardian_client.post(reverse("showcase:guardian_withdraw"), {"scope": "publication"})

    assert response.status_code == 302
    assert not Consent.objects.active("showcase", "publication").filter(person=student).exists()
    assert Consent.objects.active("showcase", "participation").filter(person=student).exists()


def test_guardian_withdraws_participation_and_with_it_publication(guardian_client, student):
    guardian_client.post(reverse("showcase:guardian_withdraw"), {"scope": "participation"})

    assert not student.consents.active("showcase", "participation").exists()
    assert not student.consents.active("showcase", "publication").exists()


def test_withdraw_with_an_unknown_scope_changes_nothing(guardian_client, student):
    guardian_client.post(reverse("showcase:guardian_withdraw"), {"scope": "everything"})

    assert student.consents.active("showcase", "publication").exists()


def test_replaced_guardian_loses_the_page_at_once(guardian_client, student):
    new = Guardian.objects.create(email="new@example.net")
    type(student).objects.filter(pk=student.pk).update(guardian=new)

    assert guardian_client.get(reverse("showcase:guardian_home")).status_code == 404


def test_guardian_downloads_the_students_data(guardian_client, student):
    response = guardian_client.get(reverse("showcase:guardian_data"))

    assert response["Content-Type"] == "application/json"
    assert response.json()["student"]["last_name"] == "Lovelace"


def test_guardian_asks_for_erasure(guardian_client, student):
    guardian_client.post(reverse("showcase:guardian_erasure"))

    request = ErasureRequest.objects.get(student=student)
    assert request.requested_by == "guardian"


@pytest.mark.parametrize(
    "name", ["showcase:guardian_home", "showcase:guardian_data", "showcase:guardian_erasure"]
)
@pytest.mark.parametrize(
    "role", ["anonymous", "student_client", "other_student_client", "staff", "committee_admin"]
)
def test_guardian_pages_answer_404_without_the_guardians_session(request, student, name, role):
    assert request.getfixturevalue(role).get(reverse(name)).status_code == 404


def test_other_guardian_sees_only_their_own_child(other_guardian_client, student):
    response = other_guardian_client.get(reverse("showcase:guardian_home"))

    assert "Grace" in response.content.decode()
    assert "Lovelace" not in response.content.decode()
    assert (
        other_guardian_client.get(reverse("showcase:guardian_data")).json()["student"]["first_name"]
        == "Grace"
    )


def test_forged_manage_link_answers_404(anonymous, student):
    assert anonymous.get(reverse("showcase:guardian_link", args=["1:forged"])).status_code == 404


# --- The outbox shows staff no live link (AUTH-11) --------------------------------------------


def test_staff_reading_the_outbox_never_see_a_live_consent_link(staff, pending, anonymous):
    message = OutboxMessage.objects.get(template="showcase.consent_request")
    pages = [
        staff.get(reverse("outbox:staff_message_list")).content.decode(),
        staff.get(reverse("outbox:staff_message_detail", args=[message.pk])).content.decode(),
    ]

    token = _token(pending)  # the guardian's e-mail, sent with the live link

    assert all(token not in page for page in pages)
    shown = re.search(r"https?://[^\s<]+/showcase/consent/[^\s<]+", pages[1]).group(0)
    assert shown.endswith("/showcase/consent/••••••/")
    copied = anonymous.get(urlsplit(shown).path)
    assert copied.status_code == 404
    assert "This consent link does not work" in copied.content.decode()
    assert anonymous.get(reverse("showcase:consent_open", args=[token])).status_code == 302


def test_staff_never_see_a_guardians_manage_link(staff, pending, anonymous):
    anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))
    anonymous.post(reverse("showcase:consent_form"), {"participation": "on"})
    confirmation = OutboxMessage.objects.get(template="showcase.consent_confirmed")

    page = staff.get(reverse("outbox:staff_message_detail", args=[confirmation.pk]))
    sent = delivered_body(confirmation)

    live = re.search(r"/showcase/guardian/([^\s/]+)/", sent).group(1)
    assert live not in page.content.decode()
    assert "/showcase/guardian/••••••/" in page.content.decode()
    assert Client().get(f"/showcase/guardian/{live}/")["Location"] == reverse(
        "showcase:guardian_home"
    )
