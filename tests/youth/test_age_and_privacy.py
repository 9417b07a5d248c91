"""The neutral age screen (P-01) and youth's privacy hooks: export, erasure, retention."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from tests.factories import UserFactory
from tests.youth.conftest import SUMMIT, answer, make_person
from twinning.core.authz import SYSTEM
from twinning.core.models import ActivityLog
from twinning.outbox.models import OutboxMessage
from twinning.youth import privacy
from twinning.youth.age import (
    age_on,
    is_below_minimum,
    minimum_age,
    refuse_under_minimum,
    was_refused,
)
from twinning.youth.forms import AgeScreenForm
from twinning.youth.models import Consent, Guardian, Person
from twinning.youth.services import request_consent


def test_someone_born_on_29_february_turns_older_on_1_march():
    born = datetime.date(2008, 2, 29)

    assert age_on(born, datetime.date(2025, 2, 28)) == 16
    assert age_on(born, datetime.date(2025, 3, 1)) == 17


def test_each_program_has_its_minimum_age_and_an_edition_may_ask_more(summit_program):
    born = datetime.date(2012, 6, 1)
    on = datetime.date(2025, 6, 1)  # 13 that day

    assert minimum_age("showcase") == 13
    assert minimum_age(SUMMIT) == 14
    assert not is_below_minimum(born, program="showcase", on=on)
    assert is_below_minimum(born, program=SUMMIT, on=on)
    assert is_below_minimum(born, program="showcase", on=on, at_least=14)


@pytest.mark.django_db
def test_the_refusal_keeps_only_that_it_happened_in_the_session():
    session = SessionStore()

    refuse_under_minimum(session, "showcase")

    assert was_refused(session, "showcase")
    assert not was_refused(session, SUMMIT)
    assert dict(session.items()) == {"showcase_age_refused": True}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_age_screen_neither_prefills_nor_hints_and_refuses_unreal_dates():
    form = AgeScreenForm()
    future = AgeScreenForm({"date_of_birth": str(timezone.localdate() + datetime.timedelta(1))})

    html = form.as_div()
    assert "13" not in html and "value=" not in html
    assert not future.is_valid()
    assert "Enter your real date of birth." in future.errors["date_of_birth"]


@pytest.mark.django_db
def test_the_export_holds_the_person_and_every_programs_consents_and_no_one_else(
    springfield, person, summit_program
):
    answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"photos"})
    request_consent(person=person, program="showcase", by=SYSTEM)
    make_person(springfield, first_name="Grace", guardian_email="other@example.net")

    data = privacy.export_person_data(person)

    assert data["person"]["first_name"] == "Ada"
    assert data["person"]["guardian_email"] == "parent@example.net"
    assert sorted(c["program"] for c in data["consents"]) == ["showcase", SUMMIT]
    summit = next(c for c in data["consents"] if c["program"] == SUMMIT)
    assert summit["scopes"]["photos"]["granted_at"]
    assert summit["scopes"]["medical"]["granted_at"] is None
    assert "Grace" not in str(data) and "other@example.net" not in str(data)
    assert "token" not in str(data).replace("link_used_at", "")


@pytest.mark.django_db
def test_erasure_deletes_the_person_their_account_and_an_unshared_guardian(springfield, person):
    consent = request_consent(person=person, program="showcase", by=SYSTEM)
    sibling = make_person(springfield, first_name="Grace")  # the same guardian
    user_pk = person.user.pk

    assert privacy.erase_person(person, program="showcase") is True

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert not type(person.user).objects.filter(pk=user_pk).exists()
    assert Guardian.objects.filter(pk=sibling.guardian_id).exists()  # still Grace's
    privacy.erase_person(sibling, program="showcase")
    assert not Guardian.objects.exists()


@pytest.mark.django_db
def test_erasure_for_one_program_keeps_a_person_another_program_holds(person, summit_program):
    summit = answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"participation"})
    showcase = request_consent(person=person, program="showcase", by=SYSTEM)

    assert privacy.erase_person(person, program="showcase") is False

    assert Person.objects.filter(pk=person.pk).exists()
    assert Consent.objects.filter(pk=summit.pk).exists()
    assert not Consent.objects.filter(pk=showcase.pk).exists()


@pytest.mark.django_db
def test_erasure_shreds_audit_details_and_forgets_mail(person):
    request_consent(person=person, program="showcase", by=SYSTEM)
    OutboxMessage.objects.create(
        to="parent@example.net", template="t", language="en", subject="About Ada", body="Ada"
    )
    ActivityLog.objects.filter(action="showcase.consent.requested").update(data={"x": "Ada"})

    privacy.erase_person(person, program="showcase")

    assert not OutboxMessage.objects.filter(to="parent@example.net").exists()
    assert not ActivityLog.objects.exclude(data={}).filter(action__startswith="showcase.").exists()


@pytest.mark.django_db
def test_retention_finds_only_people_whose_guardian_never_consented(springfield, person):
    answer(request_consent(person=person, program="showcase", by=SYSTEM), {"participation"})
    pending = make_person(springfield, first_name="Grace", guardian_email="g@example.net")
    request_consent(person=pending, program="showcase", by=SYSTEM)
    adult = make_person(springfield, user=UserFactory(), age=19, guardian_email="")
    later = timezone.now() + datetime.timedelta(days=31)

    stale = privacy.never_consented("showcase", "participation", before=later)

    assert list(stale) == [pending]
    assert adult not in stale
