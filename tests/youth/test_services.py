"""Youth's public interface (issue 8 §1): one person and one guardian across programs,
consent per program and scope through the guardian's single-use link, withdrawal at once."""

import datetime
import hashlib

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from tests.youth.conftest import SUMMIT, answer, born, make_person
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.youth.models import Consent, ConsentScope, Guardian, Person, consent_active
from twinning.youth.services import (
    ConsentLinkExpired,
    ConsentLinkInvalid,
    ConsentLinkUsed,
    answer_consent,
    find_or_create_person,
    has_consent,
    hash_token,
    open_consent_link,
    record_own_consent,
    request_consent,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


def test_the_same_user_in_two_programs_is_one_person_with_one_guardian(springfield, person):
    again = make_person(springfield, user=person.user, guardian_email="PARENT@example.net")

    assert again.pk == person.pk
    assert Person.objects.count() == 1
    assert Guardian.objects.get().email == "parent@example.net"
    assert again.guardian_email == "parent@example.net"


def test_brothers_and_sisters_share_one_guardian(springfield, person):
    sister = make_person(springfield, first_name="Grace", guardian_email="Parent@Example.net")

    assert sister.guardian_id == person.guardian_id
    assert Guardian.objects.count() == 1


def test_another_date_of_birth_for_a_known_person_is_refused(springfield, person):
    with pytest.raises(ValidationError) as error:
        make_person(springfield, user=person.user, date_of_birth=datetime.date(2010, 1, 1))

    assert "date of birth" in str(error.value)


def test_another_guardian_for_a_known_person_is_refused(springfield, person):
    with pytest.raises(ValidationError) as error:
        make_person(springfield, user=person.user, guardian_email="someone@example.net")

    assert "Another guardian" in str(error.value)
    assert person.guardian.email == "parent@example.net"


def test_a_stranger_cannot_create_a_person_for_someone_else(springfield):
    victim = UserFactory()

    with pytest.raises(NotAllowed):
        find_or_create_person(
            user=victim,
            first_name="Eve",
            last_name="V",
            date_of_birth=born(15),
            community=springfield,
            by=UserFactory(),
        )
    assert not Person.objects.exists()


def test_a_consent_request_is_for_one_program_and_lists_the_scopes_asked(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    assert consent.program == SUMMIT
    assert consent.email == "parent@example.net"
    assert consent.asked == ["participation", "medical", "photos"]
    assert consent.scopes == []
    assert consent.token_hash == hashlib.sha256(consent.token.encode()).hexdigest()
    assert len(consent.token) >= 43  # 32 random bytes: 256 bits (AUTH-11)
    lifetime = consent.token_expires_at - consent.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(seconds=1)


def test_a_request_may_ask_only_some_of_the_programs_scopes(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, scopes=["photos"], by=SYSTEM)

    assert consent.asked == ["photos"]
    with pytest.raises(ValidationError):
        answer(consent, {"medical"})


def test_no_request_without_a_guardian(springfield, summit_program):
    adult = make_person(springfield, age=19, guardian_email="")

    with pytest.raises(ValidationError):
        request_consent(person=adult, program=SUMMIT, by=SYSTEM)
    assert not Consent.objects.exists()


def test_the_guardian_answers_each_scope_separately(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    answered = answer_consent(token=consent.token, granted={"participation", "photos"})

    assert answered.scopes == ["participation", "photos"]
    assert has_consent(person, SUMMIT, "participation")
    assert not has_consent(person, SUMMIT, "medical")
    assert has_consent(person, SUMMIT, "photos")
    assert answered.answer("medical").granted_at is None


def test_the_answer_keeps_notice_version_hash_verification_and_times(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    answered = answer_consent(token=consent.token, granted={"participation"})

    assert answered.notice_version == "summit-1"
    assert answered.notice_hash == hashlib.sha256(b"The summit's notice.").hexdigest()
    assert answered.verified_by == Consent.Verification.GUARDIAN_EMAIL_LINK
    assert answered.responded_at is not None and answered.token_used_at is not None
    assert ActivityLog.objects.filter(action=f"{SUMMIT}.consent.given").count() == 1


def test_opening_the_link_spends_nothing_the_answer_spends_it(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    opened = [open_consent_link(token=consent.token).pk for _ in range(3)]
    answer_consent(token=consent.token, granted=set())

    assert opened == [consent.pk] * 3
    with pytest.raises(ConsentLinkUsed):
        open_consent_link(token=consent.token)
    with pytest.raises(ConsentLinkUsed):
        answer_consent(token=consent.token, granted={"participation"})


def test_the_link_expires_after_seven_days(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    later = timezone.now() + datetime.timedelta(days=7, seconds=1)
    with time_machine.travel(later), pytest.raises(ConsentLinkExpired):
        answer_consent(token=consent.token, granted={"participation"})


def test_a_new_link_replaces_the_unanswered_one_of_the_same_program_only(person, summit_program):
    showcase = request_consent(person=person, program="showcase", by=SYSTEM)
    first = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    request_consent(person=person, program=SUMMIT, by=SYSTEM)

    with pytest.raises(ConsentLinkInvalid):
        open_consent_link(token=first.token)
    assert open_consent_link(token=showcase.token).pk == showcase.pk


def test_a_program_does_not_answer_another_programs_link(person, summit_program):
    consent = request_consent(person=person, program=SUMMIT, by=SYSTEM)

    with pytest.raises(ConsentLinkInvalid):
        open_consent_link(token=consent.token, program="showcase")
    with pytest.raises(ConsentLinkInvalid):
        answer_consent(token=consent.token, granted={"participation"}, program="showcase")


def test_a_scope_needing_another_is_refused_without_it(person):
    consent = request_consent(person=person, program="showcase", by=SYSTEM)

    with pytest.raises(ValidationError) as error:
        answer(consent, {"publication"})

    assert "publication" in error.value.message_dict
    assert Consent.objects.get(pk=consent.pk).responded_at is None


def test_withdrawal_takes_effect_at_once_and_only_for_that_scope(person, summit_program):
    answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"participation", "photos"})

    changed = withdraw_consent(person=person, program=SUMMIT, scope="photos", by=person.user)

    assert changed == 1
    assert not has_consent(person, SUMMIT, "photos")
    assert has_consent(person, SUMMIT, "participation")
    assert ActivityLog.objects.filter(action=f"{SUMMIT}.consent.withdrawn").count() == 1


def test_withdrawing_a_scope_withdraws_those_that_need_it(person):
    answer(
        request_consent(person=person, program="showcase", by=SYSTEM),
        {"participation", "publication"},
    )

    changed = withdraw_consent(person=person, program="showcase", scope="participation", by=SYSTEM)

    assert changed == 2
    assert not has_consent(person, "showcase", "participation")
    assert not has_consent(person, "showcase", "publication")


def test_withdrawing_in_one_program_leaves_the_other(person, summit_program):
    answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"participation"})
    answer(request_consent(person=person, program="showcase", by=SYSTEM), {"participation"})

    withdraw_consent(person=person, program=SUMMIT, scope="participation", by=SYSTEM)

    assert has_consent(person, "showcase", "participation")
    assert not has_consent(person, SUMMIT, "participation")


def test_a_guardian_withdraws_through_their_own_answered_record_only(
    springfield, person, summit_program
):
    own = answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"participation"})
    other_child = make_person(springfield, guardian_email="other@example.net")
    other = answer(request_consent(person=other_child, program=SUMMIT, by=SYSTEM), {"photos"})

    with pytest.raises(NotAllowed):
        withdraw_consent(
            person=person, program=SUMMIT, scope="participation", by=AnonymousUser(), guardian=other
        )
    assert withdraw_consent(
        person=person, program=SUMMIT, scope="participation", by=AnonymousUser(), guardian=own
    )


def test_a_replaced_guardian_can_no_longer_withdraw(person, summit_program):
    own = answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"participation"})
    Person.objects.filter(pk=person.pk).update(
        guardian=Guardian.objects.create(email="new@example.net")
    )
    own.person.refresh_from_db()

    with pytest.raises(NotAllowed):
        withdraw_consent(
            person=own.person, program=SUMMIT, scope="photos", by=AnonymousUser(), guardian=own
        )


def test_an_adult_consents_for_themself_scope_by_scope(springfield, summit_program):
    adult = make_person(springfield, age=19, guardian_email="")

    consent = record_own_consent(
        person=adult, program=SUMMIT, granted={"participation"}, by=adult.user
    )

    assert consent.verified_by == Consent.Verification.ADULT_SIGNED_IN
    assert consent.scopes == ["participation"]
    assert consent.asked == ["participation", "medical", "photos"]
    with pytest.raises(NotAllowed):
        record_own_consent(person=adult, program=SUMMIT, granted={"photos"}, by=UserFactory())


def test_an_unknown_program_or_scope_is_refused(person):
    with pytest.raises(ValidationError):
        request_consent(person=person, program="nowhere", by=SYSTEM)
    with pytest.raises(ValidationError):
        withdraw_consent(person=person, program="showcase", scope="medical", by=SYSTEM)


def test_the_exists_helper_filters_people_with_an_active_consent(
    springfield, person, summit_program
):
    answer(request_consent(person=person, program=SUMMIT, by=SYSTEM), {"photos"})
    without = make_person(springfield, guardian_email="x@example.net")
    request_consent(person=without, program=SUMMIT, by=SYSTEM)

    photos = Person.objects.filter(consent_active(SUMMIT, "photos"))
    flagged = Person.objects.annotate(medical=consent_active(SUMMIT, "medical"))

    assert list(photos) == [person]
    assert not any(p.medical for p in flagged)
    assert list(Person.objects.in_program(SUMMIT).order_by("pk")) == [person, without]


def test_a_withdrawn_scope_cannot_be_stored_before_it_was_given(person):
    consent = request_consent(person=person, program="showcase", by=SYSTEM)
    answer_row = consent.answers.get(scope="participation")
    answer_row.withdrawn_at = timezone.now()

    with pytest.raises(ValidationError):
        answer_row.full_clean()
    assert ConsentScope.objects.filter(withdrawn_at__isnull=False).count() == 0


def test_the_token_is_stored_only_hashed(person):
    consent = request_consent(person=person, program="showcase", by=SYSTEM)

    stored = Consent.objects.filter(pk=consent.pk).values().get()
    assert consent.token not in str(stored)
    assert stored["token_hash"] == hash_token(consent.token)
