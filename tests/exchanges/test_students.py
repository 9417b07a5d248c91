"""Seasons, places, the sending contact's link, nominations with youth consent, statuses with
their messages, and the restricted details behind one logged reader (issue 10 section 1)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accounts.welfare import welfare_staff
from tests.conftest import verified
from tests.exchanges import helpers as h
from tests.factories import CommunityFactory, PartnershipFactory, UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.exchanges.models import RestrictedDetails, Season, Student
from twinning.exchanges.services import students
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Consent
from twinning.youth.services import has_consent

pytestmark = pytest.mark.django_db


def _actions(obj=None) -> list[str]:
    entries = ActivityLog.objects.order_by("pk")
    if obj is not None:
        entries = entries.filter(object_id=str(obj.pk))
    return list(entries.values_list("action", flat=True))


# --- Age rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "reasons"),
    [
        (datetime.date(2012, 8, 15), 0),  # 15 on the arrival date exactly
        (datetime.date(2012, 8, 16), 1),  # 15 the day after arrival
        (datetime.date(2009, 2, 16), 0),  # 18 and a half the day after arrival
        (datetime.date(2009, 2, 15), 1),  # 18 and a half on the arrival date
        (datetime.date(9999, 12, 31), 1),  # a date far in the future: refused, not a crash
        (datetime.date(1, 1, 1), 1),
    ],
)
def test_age_rule_is_15_to_18_and_a_half_on_the_arrival_date(born, reasons):
    season = Season(arrival_date=h.ARRIVAL, min_age_years=15, max_age_months=222)

    assert len(students.age_reasons(season, born)) == reasons


def test_season_refuses_a_departure_before_the_arrival():
    with pytest.raises(ValidationError) as error:
        h.season(departure_date=h.ARRIVAL - datetime.timedelta(days=1))

    assert "departure_date" in error.value.message_dict


def test_season_age_range_is_a_database_constraint():
    season = h.season()

    with pytest.raises(IntegrityError), transaction.atomic():
        Season.objects.filter(pk=season.pk).update(max_age_months=100)


# --- Places --------------------------------------------------------------------------------------


def test_offer_places_refuses_a_partnership_that_is_not_the_committees(springfield_member):
    season = h.season()
    elsewhere = PartnershipFactory()

    with pytest.raises(ValidationError) as error:
        students.offer_places(
            season=season, host=springfield_member, partnership=elsewhere, places=2, by=SYSTEM
        )

    assert "partnership" in error.value.message_dict


def test_offer_places_changes_the_places_of_the_same_offer(springfield_member):
    quota = h.quota(springfield_member, places=2)

    again = students.offer_places(
        season=quota.season,
        host=springfield_member,
        partnership=quota.partnership,
        places=5,
        by=SYSTEM,
    )

    assert (again.pk, again.places) == (quota.pk, 5)
    assert _actions(quota).count("exchanges.places.offered") == 2


def test_nomination_beyond_the_places_offered_is_refused(springfield_member):
    quota = h.quota(springfield_member, places=1)
    contact = h.contact(quota)
    h.nominate(quota, contact)

    with pytest.raises(ValidationError, match="Every place offered is taken"):
        h.nominate(quota, contact, email="second@kragujevac.example")

    assert Student.objects.count() == 1


# --- The sending contact's link ------------------------------------------------------------------


def test_contact_link_is_mailed_stored_hashed_and_works_once(springfield_member):
    quota = h.quota(springfield_member)
    contact = students.add_sending_contact(
        quota=quota, name="Milica", email="Milica@Kragujevac.example", by=SYSTEM
    )
    token = students.send_contact_link(contact=contact, by=SYSTEM)
    contact.refresh_from_db()

    used = students.use_contact_link(token=token)

    assert contact.email == "milica@kragujevac.example"
    assert token not in (contact.token_hash or "")
    assert used.pk == contact.pk and used.token_used_at is not None
    with pytest.raises(students.ContactLinkInvalid):
        students.use_contact_link(token=token)


def test_a_new_contact_link_replaces_the_old_one(springfield_member):
    quota = h.quota(springfield_member)
    contact = students.add_sending_contact(
        quota=quota, name="Milica", email="m@kragujevac.example", by=SYSTEM
    )
    first = students.send_contact_link(contact=contact, by=SYSTEM)

    second = students.send_contact_link(contact=contact, by=SYSTEM)

    with pytest.raises(students.ContactLinkInvalid):
        students.open_contact_link(token=first)
    assert students.open_contact_link(token=second).pk == contact.pk


def test_an_expired_contact_link_is_refused(springfield_member, time_machine):
    quota = h.quota(springfield_member)
    contact = students.add_sending_contact(
        quota=quota, name="Milica", email="m@kragujevac.example", by=SYSTEM
    )
    token = students.send_contact_link(contact=contact, by=SYSTEM)

    later = timezone.now() + datetime.timedelta(days=students.CONTACT_LINK_DAYS, seconds=1)
    time_machine.move_to(later)

    with pytest.raises(students.ContactLinkInvalid):
        students.use_contact_link(token=token)


def test_a_contact_may_nominate_only_for_their_own_places(springfield_member):
    quota = h.quota(springfield_member)
    other = h.quota(springfield_member, quota.season, partner=CommunityFactory(name="Ohrid"))
    contact = h.contact(other, email="other@ohrid.example")

    with pytest.raises(NotAllowed):
        h.nominate(quota, contact, by=AnonymousUser())


# --- Nomination ----------------------------------------------------------------------------------


def test_nomination_creates_the_young_person_and_asks_the_guardian(springfield_member):
    quota = h.quota(springfield_member)
    contact = h.contact(quota)

    student = h.nominate(quota, contact)

    person = student.person
    assert (person.first_name, person.guardian_email) == ("Ana", "parent.ana@kragujevac.example")
    assert person.community == students.sending_community(quota)
    consent = Consent.objects.get(person=person, program="exchanges")
    assert sorted(consent.asked) == ["medical", "participation", "photos"]
    assert consent.responded_at is None
    templates = set(OutboxMessage.objects.values_list("template", flat=True))
    assert {"exchanges.guardian_consent", "exchanges.student_status"} <= templates
    assert list(student.status_changes.values_list("status", flat=True)) == ["nominated"]


def test_nomination_keeps_restricted_values_out_of_the_student_and_the_audit(springfield_member):
    quota = h.quota(springfield_member)

    student = h.nominate(quota, h.contact(quota))

    details = RestrictedDetails.objects.get(student=student)
    assert (details.medical_notes, details.passport_number) == (
        h.CANARY_MEDICAL,
        h.CANARY_PASSPORT,
    )
    logged = " ".join(str(data) for data in ActivityLog.objects.values_list("data", flat=True))
    assert not any(canary in logged for canary in h.CANARIES)


def test_nomination_refuses_a_student_outside_the_age_rule(springfield_member):
    quota = h.quota(springfield_member)

    with pytest.raises(ValidationError) as error:
        h.nominate(quota, h.contact(quota), date_of_birth=datetime.date(2013, 1, 1))

    assert "date_of_birth" in error.value.message_dict
    assert Student.objects.count() == 0


def test_nomination_refuses_the_students_own_address_as_the_guardians(springfield_member):
    quota = h.quota(springfield_member)

    with pytest.raises(ValidationError) as error:
        h.nominate(quota, h.contact(quota), guardian_email="ana@kragujevac.example")

    assert "guardian_email" in error.value.message_dict


def test_a_student_is_nominated_once_per_season(springfield_member):
    quota = h.quota(springfield_member)
    contact = h.contact(quota)
    h.nominate(quota, contact)

    with pytest.raises(ValidationError, match="already nominated"):
        h.nominate(quota, contact)


# --- Statuses ------------------------------------------------------------------------------------


def test_accepting_needs_the_guardians_consent_to_taking_part(springfield_member, staff_user):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    with pytest.raises(ValidationError, match="consent"):
        students.change_status(student=student, status="accepted", by=staff_user)

    h.grant_consent(student)
    accepted = students.change_status(
        student=student, status="accepted", message="Welcome!", by=staff_user
    )
    assert accepted.status == "accepted"
    assert has_consent(student.person, "exchanges", "participation")


def test_each_status_change_is_mailed_with_its_message_and_audited(
    springfield_member, staff_user, django_capture_on_commit_callbacks
):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))
    h.grant_consent(student)

    with django_capture_on_commit_callbacks(execute=True):
        students.change_status(
            student=student, status="accepted", message="Welcome!", by=staff_user
        )

    sent = {(m.to[0], m.subject) for m in mail.outbox}
    assert sent == {
        ("ana@kragujevac.example", "Ana Jovanović's exchange: Accepted by the association"),
        ("contact@kragujevac.example", "Ana Jovanović's exchange: Accepted by the association"),
    }
    assert all("Welcome!" in m.body for m in mail.outbox)
    assert _actions(student)[-1] == "exchanges.student.status_changed"
    history = list(student.status_changes.values_list("status", "message"))
    assert history == [("nominated", ""), ("accepted", "Welcome!")]


def test_accepting_is_the_associations_decision(springfield_member, committee_admin_user):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))
    h.grant_consent(student)

    with pytest.raises(NotAllowed):
        students.change_status(student=student, status="accepted", by=committee_admin_user)


def test_a_status_cannot_skip_steps(springfield_member, staff_user):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    with pytest.raises(ValidationError):
        students.change_status(student=student, status="arrived", by=staff_user)
    with pytest.raises(ValidationError):
        students.change_status(student=student, status="placed", by=staff_user)


def test_the_hosting_committee_records_the_steps_of_the_stay(
    springfield_member, committee_admin_user
):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))
    Student.objects.filter(pk=student.pk).update(status="placed")  # placements: section 3

    for step in ("visa_issued", "arrived", "returned_early"):
        students.change_status(student=student, status=step, by=committee_admin_user)

    student.refresh_from_db()
    assert student.status == "returned_early"


def test_a_declined_student_frees_the_place(springfield_member, staff_user):
    quota = h.quota(springfield_member, places=1)
    contact = h.contact(quota)
    first = h.nominate(quota, contact)

    students.change_status(student=first, status="declined", by=staff_user)
    second = h.nominate(quota, contact, email="second@kragujevac.example")

    assert second.quota == quota


# --- Restricted details --------------------------------------------------------------------------


def test_restricted_details_are_read_by_the_exchange_coordinator_and_logged(springfield_member):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))
    coordinator = h.coordinator(springfield_member, exchange=True)

    values = students.read_restricted(student=student, by=coordinator.user)

    assert values["allergies"] == h.CANARY_ALLERGY
    assert values["sponsor_form_number"] == h.CANARY_SPONSOR
    entry = ActivityLog.objects.filter(action="exchanges.restricted.read").get()
    assert entry.actor == coordinator.user
    assert entry.data["purpose"] == "exchange care"
    assert entry.data["fields"] == sorted(students.RESTRICTED_FIELDS)
    assert h.CANARY_ALLERGY not in str(entry.data)


def test_restricted_details_are_refused_to_everyone_else(
    springfield_member, committee_admin_user, other_committee_admin_user
):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))
    local = h.coordinator(springfield_member, email="local@springfield.example")
    elsewhere = h.other_member()
    foreign = h.coordinator(elsewhere, email="x@shelbyville.example", exchange=True)
    unverified_staff = UserFactory(email="staff2@example.org", is_staff=True)
    staff_without_welfare = verified(UserFactory(email="staff3@example.org", is_staff=True))
    refused = [
        staff_without_welfare,
        committee_admin_user,
        other_committee_admin_user,
        local.user,
        foreign.user,
        unverified_staff,
        student.person.user,
    ]

    for user in refused:
        with pytest.raises(NotAllowed):
            students.read_restricted(student=student, by=user)

    assert not ActivityLog.objects.filter(action="exchanges.restricted.read").exists()
    assert students.read_restricted(student=student, by=welfare_staff())


def test_verified_staff_without_welfare_may_not_update_restricted_details(
    springfield_member, staff_user
):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    with pytest.raises(NotAllowed):
        students.update_restricted(student=student, allergies="Dust", by=staff_user)

    assert RestrictedDetails.objects.get(student=student).allergies == h.CANARY_ALLERGY
    assert not ActivityLog.objects.filter(
        action="exchanges.restricted.changed", actor=staff_user
    ).exists()


def test_restricted_update_names_the_fields_never_the_values(springfield_member):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    students.update_restricted(
        student=student,
        visa_issued_on=datetime.date(2027, 6, 1),
        visa_expires_on=datetime.date(2028, 7, 1),
        by=welfare_staff(),
    )

    entry = ActivityLog.objects.filter(action="exchanges.restricted.changed").order_by("pk").last()
    assert entry.data == {"fields": ["visa_expires_on", "visa_issued_on"]}


def test_restricted_update_refuses_a_visa_expiring_before_its_issue(springfield_member):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    with pytest.raises(ValidationError):
        students.update_restricted(
            student=student,
            visa_issued_on=datetime.date(2027, 6, 1),
            visa_expires_on=datetime.date(2027, 5, 1),
            by=SYSTEM,
        )


# --- Documents -----------------------------------------------------------------------------------


def test_documents_go_through_the_upload_pipeline_into_private_storage(springfield_member):
    from twinning.core.media import private_storage

    quota = h.quota(springfield_member)
    contact = h.contact(quota)
    student = h.nominate(quota, contact)

    document = students.add_document(
        student=student, kind="essay", upload=h.pdf_upload("My essay.pdf"), by=None, contact=contact
    )

    assert document.file_name.startswith("exchanges/documents/")
    assert private_storage.exists(document.file_name)
    assert document.display_name == "My essay.pdf"


def test_a_document_that_is_not_a_pdf_is_refused(springfield_member):
    quota = h.quota(springfield_member)
    student = h.nominate(quota, h.contact(quota))

    with pytest.raises(ValidationError):
        students.add_document(student=student, kind="essay", upload=h.png_upload(), by=SYSTEM)

    assert student.documents.count() == 0
