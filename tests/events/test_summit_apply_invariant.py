"""RELIABILITY P-03 for the summit: after any sequence of applications, guardian answers,
staff decisions, withdrawals and new links, no youth-ticket attendee is confirmed without
their guardian's active consent to taking part."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.events.summit_apply_helpers import apply, grant, open_summit, student
from tests.factories import UserFactory
from twinning.core.authz import NotAllowed
from twinning.events.models import Attendee, SummitApplication
from twinning.events.services.moderation import approve_attendee, decline_attendee
from twinning.events.services.registration import cancel_attendee
from twinning.events.services.summit_apply import (
    resend_guardian_link,
    withdraw_summit_consent,
)
from twinning.youth.services import has_consent

pytestmark = pytest.mark.django_db

STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "apply",
                "grant_all",
                "grant_photos_only",
                "approve",
                "decline",
                "withdraw_participation",
                "withdraw_photos",
                "resend",
                "cancel",
            ]
        ),
        st.integers(min_value=0, max_value=2),
    ),
    min_size=1,
    max_size=14,
)


def _confirmed_without_consent() -> list[Attendee]:
    return [
        a
        for a in Attendee.objects.filter(ticket__for_youth=True, state=Attendee.State.CONFIRMED)
        if not has_consent(a.summit_application.person, "summit", "participation")
    ]


def _step(action, application, users, n, *, staff_user, summit):
    if action == "apply":
        apply(summit, users[n])
    elif application is None:
        return
    elif action == "grant_all":
        grant(application)
    elif action == "grant_photos_only":
        grant(application, scopes=("photos",))
    elif action == "approve":
        approve_attendee(attendee=application.attendee, by=staff_user)
    elif action == "decline":
        decline_attendee(attendee=application.attendee, message="No", by=staff_user)
    elif action == "withdraw_participation":
        withdraw_summit_consent(person=application.person, scope="participation", by=users[n])
    elif action == "withdraw_photos":
        withdraw_summit_consent(person=application.person, scope="photos", by=users[n])
    elif action == "resend":
        resend_guardian_link(application=application, by=users[n])
    elif action == "cancel":
        cancel_attendee(attendee=application.attendee, by=staff_user)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_no_confirmed_youth_ticket_without_participation_consent(staff_user, steps):
    SummitApplication.objects.all().delete()
    Attendee.objects.all().delete()
    summit = open_summit(slug=f"inv-{UserFactory().pk}")
    users = [student(email=f"inv{UserFactory().pk}-{n}@example.org") for n in range(3)]
    for action, n in steps:
        application = (
            SummitApplication.objects.filter(person__user=users[n], attendee__event=summit.parent)
            .select_related("attendee__ticket", "attendee__event", "person")
            .order_by("-pk")
            .first()
        )
        # A refused step (with its message) must leave the invariant holding all the same.
        with contextlib.suppress(ValidationError, NotAllowed):
            _step(action, application, users, n, staff_user=staff_user, summit=summit)
        assert _confirmed_without_consent() == []


def test_the_sequence_can_reach_a_confirmation(staff_user):
    """The steps above do confirm students (the invariant is not vacuous)."""
    summit = open_summit()
    user = student()
    _step("apply", None, [user], 0, staff_user=staff_user, summit=summit)
    application = SummitApplication.objects.get()
    _step("grant_all", application, [user], 0, staff_user=staff_user, summit=summit)
    _step("approve", application, [user], 0, staff_user=staff_user, summit=summit)

    application.attendee.refresh_from_db()
    assert application.attendee.state == Attendee.State.CONFIRMED
