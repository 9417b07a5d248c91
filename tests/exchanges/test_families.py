"""Host families and their screening, enforced in the service and the database; schools and
coordinators with their training (issue 10 section 2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.exchanges import helpers as h
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.dates import add_months, association_today
from twinning.exchanges.models import FamilyApproval, HostFamily, HouseholdMember
from twinning.exchanges.services import families, staff

pytestmark = pytest.mark.django_db


def _approve(family):
    return families.approve_family(family=family, by=SYSTEM)


# --- Screening -----------------------------------------------------------------------------------


def test_a_screened_family_is_approved_with_its_evidence(springfield_member):
    family = h.screened_family(springfield_member)

    approval = _approve(family)

    family.refresh_from_db()
    assert family.status == HostFamily.Status.APPROVED
    assert approval.home_visit == family.home_visits.get()
    assert {approval.first_reference, approval.second_reference} == set(family.references.all())
    assert (approval.adults_checked, approval.capacity) == (1, 1)


def test_a_family_without_its_household_cannot_be_approved(springfield_member):
    family = h.family(springfield_member)

    with pytest.raises(ValidationError) as error:
        _approve(family)

    assert "Record every member of the household" in " ".join(error.value.messages)
    assert not FamilyApproval.objects.exists()


def test_every_adult_needs_a_clear_check(springfield_member):
    family = h.screened_family(springfield_member)
    families.add_household_member(
        family=family,
        name="Abe Simpson",
        date_of_birth=datetime.date(1940, 5, 25),
        relationship="grandfather",
        by=family.user,
    )

    with pytest.raises(ValidationError, match="Abe Simpson has no background check"):
        _approve(family)


def test_a_child_turning_18_during_the_stay_counts_as_an_adult(springfield_member):
    family = h.screened_family(springfield_member)
    today = association_today()
    families.add_household_member(
        family=family,
        name="Bart Simpson",
        date_of_birth=add_months(today, -(18 * 12 - 6)),  # 18 in six months
        relationship="son",
        by=family.user,
    )
    families.add_household_member(
        family=family,
        name="Maggie Simpson",
        date_of_birth=add_months(today, -12),
        relationship="daughter",
        by=family.user,
    )

    problems = families.screening_problems(family)

    assert problems == ["Bart Simpson has no background check."]


def test_the_horizon_reaches_the_last_departure_of_a_season(springfield_member):
    today = association_today()
    h.season(
        arrival_date=today + datetime.timedelta(days=300),
        departure_date=today + datetime.timedelta(days=700),
    )

    assert families.screening_horizon(today) == today + datetime.timedelta(days=700)


def test_a_check_that_is_not_clear_blocks_and_reopens(springfield_member):
    family = h.screened_family(springfield_member)
    _approve(family)
    adult = family.household.get()

    families.record_background_check(
        person=adult,
        checked_on=association_today(),
        provider="Sterling",
        result="not_clear",
        by=SYSTEM,
    )

    family.refresh_from_db()
    assert family.status == HostFamily.Status.APPLIED
    assert not FamilyApproval.objects.filter(family=family).exists()
    assert families.screening_problems(family) == ["Marge Simpson's background check is not clear."]


def test_a_new_household_member_reopens_an_approved_family(springfield_member):
    family = h.screened_family(springfield_member)
    _approve(family)

    families.add_household_member(
        family=family,
        name="Lodger",
        date_of_birth=datetime.date(1990, 1, 1),
        relationship="lodger",
        by=family.user,
    )

    family.refresh_from_db()
    assert family.status == HostFamily.Status.APPLIED


def test_two_recommending_references_are_needed(springfield_member):
    family = h.family(springfield_member)
    families.add_household_member(
        family=family,
        name="Homer",
        date_of_birth=datetime.date(1975, 5, 12),
        relationship="father",
        by=family.user,
    )
    first = families.ask_reference(family=family, name="A", email="a@example.org", by=family.user)
    second = families.ask_reference(family=family, name="B", email="b@example.org", by=family.user)
    families.answer_reference(token=first.token, recommends=True, statement="Kind people.")
    families.answer_reference(token=second.token, recommends=False, statement="I would not.")

    problems = families.screening_problems(family)

    assert "1 of the 2 references recommend the family." in problems


def test_a_reference_link_works_once(springfield_member):
    family = h.family(springfield_member)
    reference = families.ask_reference(
        family=family, name="A", email="a@example.org", by=family.user
    )
    families.answer_reference(token=reference.token, recommends=True, statement="Yes.")

    with pytest.raises(families.ReferenceLinkInvalid):
        families.answer_reference(token=reference.token, recommends=False, statement="No.")

    reference.refresh_from_db()
    assert (reference.recommends, reference.token_hash) == (True, None)


def test_the_family_cannot_be_its_own_reference(springfield_member):
    family = h.family(springfield_member)

    with pytest.raises(ValidationError):
        families.ask_reference(family=family, name="Me", email=family.user.email, by=family.user)


def test_the_latest_home_visit_decides(springfield_member):
    family = h.screened_family(springfield_member)
    coordinator = family.home_visits.get().coordinator

    families.record_home_visit(
        family=family,
        coordinator=coordinator,
        visited_on=association_today(),
        findings="The room is now a workshop.",
        suitable=False,
        by=SYSTEM,
    )

    assert any("home visit" in p for p in families.screening_problems(family))


def test_a_coordinator_with_expired_training_gets_no_new_visit(springfield_member):
    family = h.family(springfield_member)
    coordinator = h.coordinator(springfield_member, trained=False)
    staff.record_training(
        coordinator=coordinator,
        course="Old course",
        completed_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2021, 1, 1),
        by=SYSTEM,
    )

    with pytest.raises(ValidationError) as error:
        families.record_home_visit(
            family=family,
            coordinator=coordinator,
            visited_on=association_today(),
            findings="x",
            suitable=True,
            by=SYSTEM,
        )

    assert "training" in " ".join(error.value.messages)
    assert not family.home_visits.exists()


def test_another_committees_coordinator_cannot_visit(springfield_member):
    family = h.family(springfield_member)
    foreign = h.coordinator(h.other_member(), email="x@shelbyville.example")

    with pytest.raises(ValidationError):
        families.record_home_visit(
            family=family,
            coordinator=foreign,
            visited_on=association_today(),
            findings="x",
            suitable=True,
            by=SYSTEM,
        )


def test_home_visit_photos_are_private_and_re_encoded(springfield_member):
    from twinning.core.media import private_storage

    family = h.screened_family(springfield_member)
    coordinator = family.home_visits.get().coordinator

    visit = families.record_home_visit(
        family=family,
        coordinator=coordinator,
        visited_on=association_today(),
        findings="Photos.",
        suitable=True,
        photos=[h.png_upload()],
        by=SYSTEM,
    )

    photo = visit.photos.get()
    assert photo.file_name.startswith("exchanges/visits/")
    assert private_storage.exists(photo.file_name)


def test_only_the_committees_managers_record_checks_and_approve(
    springfield_member, other_committee_admin_user
):
    family = h.screened_family(springfield_member)

    with pytest.raises(NotAllowed):
        families.approve_family(family=family, by=family.user)
    with pytest.raises(NotAllowed):
        families.approve_family(family=family, by=other_committee_admin_user)
    with pytest.raises(NotAllowed):
        families.record_background_check(
            person=family.household.get(),
            checked_on=association_today(),
            provider="Self",
            result="clear",
            by=family.user,
        )


def test_a_committee_coordinator_may_approve(springfield_member):
    family = h.screened_family(springfield_member)
    coordinator = family.home_visits.get().coordinator

    families.approve_family(family=family, by=coordinator.user)

    family.refresh_from_db()
    assert family.status == "approved"


def test_a_declined_family_is_told_and_closed(springfield_member, committee_admin_user):
    family = h.screened_family(springfield_member)

    families.decline_family(family=family, message="Not this year.", by=committee_admin_user)

    with pytest.raises(ValidationError):
        families.approve_family(family=family, by=committee_admin_user)


# --- The database's part --------------------------------------------------------------------------


def test_an_approval_needs_two_distinct_references_in_the_database(springfield_member):
    family = h.screened_family(springfield_member)
    reference = family.references.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyApproval.objects.create(
            family=family,
            home_visit=family.home_visits.get(),
            first_reference=reference,
            second_reference=reference,
            adults_checked=1,
            capacity=1,
        )


def test_an_approvals_evidence_cannot_be_deleted(springfield_member):
    from django.db.models import ProtectedError

    family = h.screened_family(springfield_member)
    approval = _approve(family)

    with pytest.raises(ProtectedError), transaction.atomic():
        approval.home_visit.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        approval.first_reference.delete()


# --- Property: the screening rule ---------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ages=st.lists(st.integers(min_value=0, max_value=80), min_size=1, max_size=5),
    checked=st.lists(st.sampled_from(["none", "clear", "not_clear"]), min_size=5, max_size=5),
    recommending=st.integers(min_value=0, max_value=3),
    suitable=st.sampled_from([None, True, False]),
)
def test_property_only_a_fully_screened_family_is_ever_approved(
    springfield_member, ages, checked, recommending, suitable
):
    """Whatever the household, checks, references and visit: approval succeeds exactly when
    every adult (by the horizon) has a clear latest check, two references recommend and the
    latest visit found the home suitable; otherwise nothing is approved."""
    today = association_today()
    horizon = families.screening_horizon(today)
    family = h.family(springfield_member, user=UserFactory())
    adults_ok = True
    any_adult = False
    for age, check in zip(ages, checked, strict=False):
        born = add_months(today, -12 * age)
        person = families.add_household_member(
            family=family, name=f"P{age}", date_of_birth=born, relationship="kin", by=SYSTEM
        )
        if check != "none":
            families.record_background_check(
                person=person, checked_on=today, provider="P", result=check, by=SYSTEM
            )
        if (
            horizon.year - born.year - ((horizon.month, horizon.day) < (born.month, born.day))
        ) >= 18:
            any_adult = True
            adults_ok = adults_ok and check == "clear"
    for n in range(recommending):
        reference = families.ask_reference(
            family=family, name=f"R{n}", email=f"r{n}.{family.pk}@example.org", by=SYSTEM
        )
        families.answer_reference(token=reference.token, recommends=True, statement="Yes.")
    if suitable is not None:
        coordinator = h.coordinator(springfield_member, email=f"c.{family.pk}@example.org")
        families.record_home_visit(
            family=family,
            coordinator=coordinator,
            visited_on=today,
            findings="x",
            suitable=suitable,
            by=SYSTEM,
        )
    expected = any_adult and adults_ok and recommending >= 2 and suitable is True

    try:
        families.approve_family(family=family, by=SYSTEM)
    except ValidationError:
        approved = False
    else:
        approved = True

    assert approved == expected
    assert FamilyApproval.objects.filter(family=family).exists() == expected
    assert HouseholdMember.objects.filter(family=family).count() == min(len(ages), 5)


# --- Coordinators and schools --------------------------------------------------------------------


def test_a_coordinator_needs_an_account(springfield_member):
    with pytest.raises(ValidationError) as error:
        staff.add_coordinator(
            member=springfield_member,
            email="nobody@example.org",
            name="X",
            is_exchange_coordinator=False,
            by=SYSTEM,
        )

    assert "email" in error.value.message_dict


def test_current_training_is_the_one_valid_today(springfield_member):
    coordinator = h.coordinator(springfield_member)
    today = association_today()

    assert staff.current_training(coordinator, today) is not None
    assert staff.training_problem(coordinator, on=today + datetime.timedelta(days=400))


def test_training_must_expire_after_completion(springfield_member):
    coordinator = h.coordinator(springfield_member, trained=False)

    with pytest.raises(ValidationError):
        staff.record_training(
            coordinator=coordinator,
            course="x",
            completed_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2025, 1, 1),
            by=SYSTEM,
        )


def test_a_schools_letter_is_a_private_pdf_that_replaces_the_old(
    springfield_member, django_capture_on_commit_callbacks
):
    from twinning.core.media import private_storage

    school = staff.add_school(
        member=springfield_member,
        name="Springfield High",
        address="1 Road",
        contact_name="Skinner",
        contact_email="Skinner@Springfield.example",
        by=SYSTEM,
    )
    first = staff.file_acceptance_letter(
        school=school, upload=h.pdf_upload(), signed_on=association_today(), by=SYSTEM
    ).letter_file

    with django_capture_on_commit_callbacks(execute=True):
        second = staff.file_acceptance_letter(
            school=school, upload=h.pdf_upload(), signed_on=association_today(), by=SYSTEM
        ).letter_file

    assert school.contact_email == "skinner@springfield.example"
    assert private_storage.exists(second)
    assert not private_storage.exists(first)


def test_a_school_letter_must_be_a_pdf(springfield_member):
    school = staff.add_school(
        member=springfield_member,
        name="Springfield High",
        address="1 Road",
        contact_name="Skinner",
        contact_email="s@springfield.example",
        by=SYSTEM,
    )

    with pytest.raises(ValidationError):
        staff.file_acceptance_letter(
            school=school, upload=h.png_upload(), signed_on=association_today(), by=SYSTEM
        )

    school.refresh_from_db()
    assert not school.has_letter
