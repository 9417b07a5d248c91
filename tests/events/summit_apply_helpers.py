"""Fixtures of the summit application's tests: a moderated, published conference with its
summit and a youth ticket, a student with an account, and the helpers that apply and answer
the guardian's link the way the pages do."""

import datetime

from django.utils import timezone

from tests.events.summit_helpers import (
    CANARY_ALLERGY,
    CANARY_CONTACT,
    CANARY_DIET,
    CANARY_MEDICAL,
    make_summit,
    name_chaperone,
    youth_ticket,
)
from tests.factories import CommunityFactory, UserFactory
from twinning.events.models import Event, SummitApplication
from twinning.events.services.summit import first_day
from twinning.events.services.summit_apply import apply_to_summit
from twinning.youth.models import Consent
from twinning.youth.services import answer_consent, request_consent

GUARDIAN = "parent@example.org"


def open_summit(slug: str = "summit-2027", *, chaperones: int = 1) -> Event:
    """A summit open to applications: its conference published and moderated, a youth ticket,
    valid chaperones (10 students each)."""
    summit = make_summit(slug=slug)
    Event.objects.filter(pk__in=[summit.pk, summit.parent_id]).update(
        published_at=timezone.now(), requires_approval=True
    )
    summit.refresh_from_db()
    youth_ticket(summit)
    for _n in range(chaperones):
        name_chaperone(summit)
    return summit


def born(summit: Event, age: int) -> datetime.date:
    day = first_day(summit)
    return day.replace(year=day.year - age)


def student(email: str = "student@example.org"):
    return UserFactory(email=email)


def apply(
    summit: Event, user, *, age: int = 16, guardian: str = GUARDIAN, community=None, gender=""
):
    return apply_to_summit(
        event=summit,
        ticket=youth_ticket(summit),
        first_name="Alice",
        last_name="Tester",
        date_of_birth=born(summit, age),
        community=community or CommunityFactory(),
        guardian_email=guardian,
        emergency_contacts=f"Mother {CANARY_CONTACT}",
        medical_notes=f"Asthma {CANARY_MEDICAL}",
        allergies=f"Peanuts {CANARY_ALLERGY}",
        dietary_needs=f"Halal {CANARY_DIET}",
        gender=gender,
        by=user,
    )


def grant(application: SummitApplication, scopes=("participation", "medical", "photos")):
    """The guardian answers a fresh link (as the consent page does)."""
    consent = request_consent(
        person=application.person, program="summit", by=application.person.user
    )
    return answer_consent(token=consent.token, granted=set(scopes), program="summit")


def summit_consents(person) -> list[Consent]:
    return list(person.consents.of_program("summit"))


def actor_objects(world) -> dict:
    """What tests/core/test_service_actors.py calls the application's services on (made once
    per world, kept on it)."""
    if not hasattr(world, "_summit_apply_objects"):
        summit = open_summit(slug="actor-apply-summit")
        application = apply(summit, student(email="actor.applicant@example.org"))
        world._summit_apply_objects = {
            "summit": summit,
            "ticket": youth_ticket(summit),
            "application": application,
            "person": application.person,
        }
    return world._summit_apply_objects
