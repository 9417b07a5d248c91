"""The summit application's services: the application through registration, the guardian's
consent link, consent gating confirmation (P-03), withdrawal at once, one person across
programs, and retention."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.events.summit_apply_helpers import (
    GUARDIAN,
    apply,
    born,
    grant,
    open_summit,
    student,
    summit_consents,
)
from tests.events.summit_helpers import CANARIES, youth_ticket
from tests.factories import CommunityFactory, UserFactory
from twinning.events.models import Attendee, Event, SummitApplication, SummitDetails
from twinning.events.services.moderation import approve_attendee, decline_attendee
from twinning.events.services.summit import last_day
from twinning.events.services.summit_apply import (
    apply_consent_retention,
    apply_to_summit,
    consent_retention_date,
    resend_guardian_link,
    withdraw_summit_consent,
)
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Guardian, Person
from twinning.youth.programs import get_program
from twinning.youth.services import find_or_create_person, has_consent, request_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit():
    return open_summit()


def test_the_summit_is_a_youth_program_with_three_separate_scopes():
    program = get_program("summit")

    assert list(program.scopes) == ["participation", "medical", "photos"]
    assert program.minimum_age == 14


def test_an_application_holds_a_seat_applied_and_asks_the_guardian(summit):
    user = student()

    application = apply(summit, user)

    attendee = application.attendee
    assert attendee.state == Attendee.State.APPLIED
    assert attendee.role == Attendee.Role.STUDENT
    assert attendee.order.event == summit.parent
    assert application.person.guardian.email == GUARDIAN
    assert SummitDetails.objects.get(attendee=attendee).allergies.startswith("Peanuts")
    consent = summit_consents(application.person)[0]
    assert consent.email == GUARDIAN and consent.responded_at is None
    to_guardian = OutboxMessage.objects.filter(to=GUARDIAN)
    assert to_guardian.count() == 1
    assert "/events/summit/consent/" in to_guardian.get().body


def test_the_guardian_email_must_differ_from_the_students(summit):
    user = student()

    with pytest.raises(ValidationError, match="not yours"):
        apply(summit, user, guardian=user.email.upper())

    assert not Attendee.objects.exists()
    assert not Person.objects.exists()


def test_an_applicant_outside_the_ages_is_refused_and_nothing_is_stored(summit):
    with pytest.raises(ValidationError, match="aged 14 to 18"):
        apply(summit, student(), age=13)

    assert not Attendee.objects.exists()
    assert not Person.objects.exists()


def test_applying_twice_to_one_summit_is_refused(summit):
    user = student()
    apply(summit, user)

    with pytest.raises(ValidationError, match="already applied"):
        apply(summit, user)

    assert Attendee.objects.count() == 1


def test_staff_approval_without_consent_is_refused_with_a_message(summit, staff_user):
    application = apply(summit, student())

    with pytest.raises(ValidationError, match="has not given consent"):
        approve_attendee(attendee=application.attendee, by=staff_user)

    application.attendee.refresh_from_db()
    assert application.attendee.state == Attendee.State.APPLIED


def test_staff_approve_once_the_guardian_consents(summit, staff_user):
    application = apply(summit, student())
    grant(application, scopes=("participation",))

    approve_attendee(attendee=application.attendee, by=staff_user)

    application.attendee.refresh_from_db()
    assert application.attendee.state == Attendee.State.CONFIRMED


def test_consent_without_taking_part_does_not_allow_confirmation(summit, staff_user):
    application = apply(summit, student())
    with pytest.raises(ValidationError):
        grant(application, scopes=("photos",))  # photos need taking part

    with pytest.raises(ValidationError, match="has not given consent"):
        approve_attendee(attendee=application.attendee, by=staff_user)


def test_the_age_and_ratio_still_apply_after_consent(staff_user):
    summit = open_summit(chaperones=0)
    application = apply(summit, student())
    grant(application)

    with pytest.raises(ValidationError, match="Name another chaperone"):
        approve_attendee(attendee=application.attendee, by=staff_user)


def test_withdrawing_participation_withdraws_the_confirmation_at_once(summit, staff_user):
    from twinning.core.models import Association

    Association.objects.update_or_create(pk=1, defaults={"email": "office@example.org"})
    application = apply(summit, student())
    grant(application)
    approve_attendee(attendee=application.attendee, by=staff_user)

    back = withdraw_summit_consent(
        person=application.person, scope="participation", by=application.person.user
    )

    application.attendee.refresh_from_db()
    assert back == [application.attendee]
    assert application.attendee.state == Attendee.State.APPLIED
    assert not has_consent(application.person, "summit", "photos")  # needs taking part
    staff_mail = OutboxMessage.objects.get(template="events.summit_consent_withdrawn")
    assert staff_mail.to == "office@example.org"
    assert "Alice Tester" in staff_mail.body


def test_withdrawing_photos_keeps_the_place(summit, staff_user):
    application = apply(summit, student())
    grant(application)
    approve_attendee(attendee=application.attendee, by=staff_user)

    back = withdraw_summit_consent(
        person=application.person, scope="photos", by=application.person.user
    )

    application.attendee.refresh_from_db()
    assert back == []
    assert application.attendee.state == Attendee.State.CONFIRMED
    assert not has_consent(application.person, "summit", "photos")


def test_a_stranger_cannot_withdraw_a_students_consent(summit):
    application = apply(summit, student())
    grant(application)

    from twinning.core.authz import NotAllowed

    with pytest.raises(NotAllowed):
        withdraw_summit_consent(person=application.person, scope="participation", by=UserFactory())

    assert has_consent(application.person, "summit", "participation")


def test_resending_replaces_the_guardians_link(summit):
    user = student()
    application = apply(summit, user)
    first = summit_consents(application.person)[0]

    resend_guardian_link(application=application, by=user)

    first.refresh_from_db()
    assert first.token_hash is None  # the earlier link stops working
    assert OutboxMessage.objects.filter(to=GUARDIAN).count() == 2


def test_one_student_in_showcase_and_summit_is_one_person_with_one_guardian(summit):
    user = student()
    community = CommunityFactory()
    person = find_or_create_person(
        user=user,
        first_name="Alice",
        last_name="Tester",
        date_of_birth=born(summit, 16),
        community=community,
        guardian_email=GUARDIAN,
        by=user,
    )
    request_consent(person=person, program="showcase", by=user)

    application = apply(summit, user, community=community)

    assert application.person == person
    assert Person.objects.count() == 1
    assert Guardian.objects.count() == 1
    programs = set(person.consents.values_list("program", flat=True))
    assert programs == {"showcase", "summit"}


def test_a_known_person_with_another_guardian_is_told_and_nothing_is_stored(summit):
    user = student()
    find_or_create_person(
        user=user,
        first_name="Alice",
        last_name="Tester",
        date_of_birth=born(summit, 16),
        community=CommunityFactory(),
        guardian_email="first.guardian@example.org",
        by=user,
    )

    with pytest.raises(ValidationError, match="Another guardian"):
        apply(summit, user)

    assert not Attendee.objects.exists()


def test_the_audit_entry_of_an_application_names_fields_never_health_data(summit):
    from twinning.core.models import ActivityLog

    apply(summit, student())

    logged = " ".join(str(a.data) for a in ActivityLog.objects.all())
    assert not any(canary in logged for canary in CANARIES)


def test_consent_records_go_after_the_registration_and_three_years_of_proof(summit):
    application = apply(summit, student())
    grant(application)
    person_pk = application.person.pk
    user_pk = application.person.user_id
    day = consent_retention_date(summit)
    assert day == last_day(summit).replace(year=last_day(summit).year + 5)

    assert apply_consent_retention(today=day - datetime.timedelta(days=1)) == 0
    assert Person.objects.filter(pk=person_pk).exists()

    assert apply_consent_retention(today=day) == 1
    assert not Person.objects.filter(pk=person_pk).exists()
    assert not SummitApplication.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(pk=user_pk).exists()


def test_retention_keeps_a_person_the_showcase_still_holds(summit):
    user = student()
    application = apply(summit, user)
    request_consent(person=application.person, program="showcase", by=user)

    apply_consent_retention(today=consent_retention_date(summit))

    person = Person.objects.get(pk=application.person.pk)
    assert summit_consents(person) == []
    assert person.consents.filter(program="showcase").exists()


def test_a_declined_student_can_apply_again(summit, staff_user):
    user = student()
    application = apply(summit, user)
    decline_attendee(attendee=application.attendee, message="Full this year", by=staff_user)

    again = apply(summit, user)

    assert again.person == application.person
    assert youth_ticket(summit) == again.attendee.ticket
    assert again.attendee.state == Attendee.State.APPLIED


def test_the_nightly_command_erases_a_summit_only_person_after_the_proof_years(summit):
    import io

    from django.core.management import call_command

    application = apply(summit, student())
    out = io.StringIO()

    call_command("summit_retention", stdout=out)
    assert Person.objects.filter(pk=application.person.pk).exists()
    assert "consent records past retention: 0" in out.getvalue()
    assert apply_consent_retention(today=consent_retention_date(summit)) == 1
    assert not Person.objects.filter(pk=application.person.pk).exists()


def test_a_summit_in_an_unmoderated_conference_still_holds_each_student_for_staff():
    summit = open_summit(slug="open-conference-summit")
    Event.objects.filter(pk=summit.parent_id).update(requires_approval=False)
    summit.refresh_from_db()

    application = apply(summit, student(), gender="female")

    assert application.attendee.state == Attendee.State.APPLIED
    assert application.attendee.order.state == application.attendee.order.State.PENDING
    assert application.attendee.gender == "female"


def test_an_unknown_gender_is_refused_and_nothing_is_stored(summit):
    with pytest.raises(ValidationError):
        apply(summit, student(), gender="robot")

    assert not SummitApplication.objects.exists()
    assert not Attendee.objects.exists()


def test_a_student_of_18_consents_for_themself_and_no_guardian_is_asked(summit, staff_user):
    application = apply_to_summit(
        event=summit,
        ticket=youth_ticket(summit),
        first_name="Bea",
        last_name="Adult",
        date_of_birth=born(summit, 18),
        community=CommunityFactory(),
        guardian_email="",
        emergency_contacts="Sister +1 555 0101",
        own_consent={"participation", "medical"},
        by=student(),
    )

    assert application.person.guardian is None
    assert has_consent(application.person, "summit", "participation")
    assert not has_consent(application.person, "summit", "photos")
    assert not OutboxMessage.objects.filter(to=GUARDIAN).exists()
    approve_attendee(attendee=application.attendee, by=staff_user)
    application.attendee.refresh_from_db()
    assert application.attendee.state == Attendee.State.CONFIRMED


def test_a_student_of_18_must_consent_to_taking_part(summit):
    with pytest.raises(ValidationError, match="consent to taking part"):
        apply_to_summit(
            event=summit,
            ticket=youth_ticket(summit),
            first_name="Bea",
            last_name="Adult",
            date_of_birth=born(summit, 18),
            community=CommunityFactory(),
            guardian_email="",
            emergency_contacts="Sister +1 555 0101",
            own_consent={"photos"},
            by=student(),
        )

    assert not SummitApplication.objects.exists()


def test_a_student_of_17_still_needs_the_guardians_email(summit):
    with pytest.raises(ValidationError, match="guardian"):
        apply(summit, student(), age=17, guardian="")
