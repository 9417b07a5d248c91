"""Guardians' pages (B11, P-04): the single-use link leaves the URL at once, replay answers
404, expiry 410; separate scopes; withdrawal at once; data download and erasure request; role
tests (guardian, other guardian, student, staff, anonymous)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.showcase.conftest import make_student
from twinning.outbox.models import OutboxMessage
from twinning.showcase.models import Consent, ErasureRequest
from twinning.showcase.services import manage_token


@pytest.fixture
def pending(edition, springfield):
    return make_student(edition, springfield, first_name="Emmy", guardian_email="g@example.net")


def _token(student):
    body = OutboxMessage.objects.filter(to=student.guardian_email).latest("pk").body
    return body.split("/showcase/consent/")[1].split("/")[0]


def test_consent_link_moves_the_token_out_of_the_url(anonymous, pending):
    response = anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))

    assert response.status_code == 302
    assert response["Location"] == reverse("showcase:consent_form")
    page = anonymous.get(response["Location"])
    assert "Consent for Emmy" in page.content.decode()
    assert _token(pending) not in page.content.decode()


def test_consent_link_replayed_answers_404(anonymous, pending):
    token = _token(pending)
    anonymous.get(reverse("showcase:consent_open", args=[token]))

    replay = anonymous.get(reverse("showcase:consent_open", args=[token]))

    assert replay.status_code == 404


def test_consent_link_used_in_another_browser_answers_404(anonymous, pending):
    from django.test import Client

    token = _token(pending)
    anonymous.get(reverse("showcase:consent_open", args=[token]))

    assert Client().get(reverse("showcase:consent_open", args=[token])).status_code == 404


def test_expired_consent_link_answers_410(anonymous, pending):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = anonymous.get(reverse("showcase:consent_open", args=[_token(pending)]))

    assert response.status_code == 410


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
    assert not Consent.objects.publication_active().filter(student=student).exists()
    assert Consent.objects.participation_active().filter(student=student).exists()


def test_guardian_withdraws_participation_and_with_it_publication(guardian_client, student):
    guardian_client.post(reverse("showcase:guardian_withdraw"), {"scope": "participation"})

    assert not student.consents.participation_active().exists()
    assert not student.consents.publication_active().exists()


def test_withdraw_with_an_unknown_scope_changes_nothing(guardian_client, student):
    guardian_client.post(reverse("showcase:guardian_withdraw"), {"scope": "everything"})

    assert student.consents.publication_active().exists()


def test_replaced_guardian_loses_the_page_at_once(guardian_client, student):
    type(student).objects.filter(pk=student.pk).update(guardian_email="new@example.net")

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
