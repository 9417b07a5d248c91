"""Fixtures of the showcase's student-side tests: an open edition, an eligible community
(a member in good standing with an active partnership, and its sister city), and the
personas `student_client` (a minor whose guardian consented), `other_student_client`,
`guardian_client`, `other_guardian_client`."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import _client_for
from tests.factories import CommunityFactory, PartnershipFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import SYSTEM
from twinning.network.models import Partnership
from twinning.showcase.services import (
    answer_consent,
    create_edition,
    register_student,
)
from twinning.showcase.views.guardians import GUARDIAN
from twinning.youth.models import Consent
from twinning.youth.services import hash_token


def years_ago(years: int, *, days: int = 0, on: datetime.date | None = None) -> datetime.date:
    on = on or timezone.localdate()
    try:
        day = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        day = on.replace(year=on.year - years, day=28)
    return day - datetime.timedelta(days=days)


def make_edition(*, by=SYSTEM, opens_in_days: int = -10, closes_in_days: int = 20, **kwargs):
    now = timezone.now()
    kwargs.setdefault("cutoff_date", timezone.localdate())
    return create_edition(
        year=kwargs.pop("year", now.year),
        theme=kwargs.pop("theme", "Bridges"),
        opens_at=now + datetime.timedelta(days=opens_in_days),
        closes_at=now + datetime.timedelta(days=closes_in_days),
        by=by,
        **kwargs,
    )


@pytest.fixture
def good_standing(springfield, springfield_member):
    """Springfield's committee: a current membership and an active partnership."""
    today = timezone.localdate()
    MembershipFactory(
        member=springfield_member,
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=200),
    )
    sister = CommunityFactory(name="Ciudad Hermana", country__code="MX", country__name="Mexico")
    PartnershipFactory(
        community_a=springfield, community_b=sister, status=Partnership.Status.ACTIVE
    )
    return sister


@pytest.fixture
def sister_city(good_standing):
    return good_standing


@pytest.fixture
def edition(db, staff_user, good_standing):
    return make_edition(by=staff_user)


_counter = {"n": 0}


def make_student(edition, community, *, age=15, email=None, guardian_email=None, **kwargs):
    _counter["n"] += 1
    n = _counter["n"]
    return register_student(
        edition=edition,
        first_name=kwargs.pop("first_name", f"Ada{n}"),
        last_name=kwargs.pop("last_name", f"Canarysurname{n}"),
        date_of_birth=kwargs.pop("date_of_birth", years_ago(age, days=30)),
        community=community,
        school=kwargs.pop("school", "Canary High School"),
        email=email or f"student{n}@example.org",
        password="a-Long-enough-passw0rd",
        guardian_email=guardian_email if guardian_email is not None else f"parent{n}@example.net",
        **kwargs,
    )


def consent_for(student, *, participation=True, publication=True) -> Consent:
    """Answer the student's pending guardian consent as the guardian would."""
    consent = student.consents.pending().get()
    token = f"test-token-{consent.pk}"
    Consent.objects.filter(pk=consent.pk).update(token_hash=hash_token(token))
    return answer_consent(token=token, participation=participation, publication=publication)


@pytest.fixture
def student(edition, springfield):
    student = make_student(edition, springfield, first_name="Ada", last_name="Lovelace")
    consent_for(student)
    return student


@pytest.fixture
def student_client(student) -> Client:
    return _client_for(student.user)


@pytest.fixture
def other_student(edition, sister_city):
    student = make_student(edition, sister_city, first_name="Grace", last_name="Hopper")
    consent_for(student)
    return student


@pytest.fixture
def other_student_client(other_student) -> Client:
    return _client_for(other_student.user)


def guardian_session(consent: Consent) -> Client:
    client = Client()
    session = client.session
    session[GUARDIAN] = consent.pk
    session.save()
    return client


@pytest.fixture
def guardian_client(student) -> Client:
    return guardian_session(student.consents.get(verified_by="guardian_email_link"))


@pytest.fixture
def other_guardian_client(other_student) -> Client:
    return guardian_session(other_student.consents.get(verified_by="guardian_email_link"))
