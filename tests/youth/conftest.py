"""Fixtures of youth's tests: a young person with a guardian, and a second program (the
summit's scopes, registered here as the summit will from its AppConfig.ready())."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from twinning.core.authz import SYSTEM
from twinning.youth import programs
from twinning.youth.models import Consent
from twinning.youth.services import answer_consent, find_or_create_person, hash_token

SUMMIT = "summit_test"


@pytest.fixture
def summit_program():
    program = programs.register_program(
        SUMMIT,
        label="Youth Leadership Summit (test)",
        scopes={"participation": "taking part", "medical": "medical treatment", "photos": "photos"},
        minimum_age=14,
        notice=lambda: "The summit's notice.",
        notice_version="summit-1",
    )
    yield program
    programs._PROGRAMS.pop(SUMMIT, None)


def born(years: int, *, days: int = 30) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(
        days=days
    )


def make_person(community, *, age: int = 15, guardian_email: str = "parent@example.net", **kw):
    user = kw.pop("user", None) or UserFactory()
    return find_or_create_person(
        user=user,
        first_name=kw.pop("first_name", "Ada"),
        last_name=kw.pop("last_name", "Lovelace"),
        date_of_birth=kw.pop("date_of_birth", born(age)),
        community=community,
        school=kw.pop("school", "Canary High School"),
        guardian_email=guardian_email,
        by=SYSTEM,
    )


def answer(consent: Consent, granted: set[str]) -> Consent:
    """Answer a pending request as the guardian would, through its link."""
    token = f"test-token-{consent.pk}"
    Consent.objects.filter(pk=consent.pk).update(token_hash=hash_token(token))
    return answer_consent(token=token, granted=granted)


@pytest.fixture
def person(db, springfield):
    return make_person(springfield)
