"""Registering students for an edition, and who may do it."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.network.models import Community
from twinning.showcase.eligibility import check_eligibility
from twinning.showcase.models import PROGRAM, Edition
from twinning.showcase.services.consent import record_adult_consent, request_guardian_consent
from twinning.showcase.services.students import closed_to_newcomers
from twinning.youth.models import Person
from twinning.youth.services import find_or_create_person


def _check_may_register(
    edition: Edition, date_of_birth: datetime.date, community: Community
) -> Any:
    """The student's eligibility; ValidationError with the reasons when they may not register."""
    closed = closed_to_newcomers(edition)
    if closed:
        raise ValidationError(closed)
    eligibility = check_eligibility(
        edition=edition, date_of_birth=date_of_birth, community=community, today=association_today()
    )
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    return eligibility


def _check_registrant(by: Any, user: Any) -> None:
    if by is SYSTEM or is_verified_staff(by):
        return
    signed_in = getattr(by, "is_authenticated", False)
    if user is None and not signed_in:
        return  # a visitor signs up: the account is created here
    if user is None or not signed_in or user.pk != by.pk:
        raise NotAllowed


@transaction.atomic
def register_student(
    *,
    edition: Edition,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    community: Community,
    school: str = "",
    guardian_email: str = "",
    publication_consent: bool = False,
    email: str = "",
    password: str = "",
    user: Any = None,
    by: Any = None,
) -> Person:
    """Create a student (and their account unless `user` is given) after checking eligibility
    again. A minor's guardian is sent a single-use consent link; an adult's own consent is
    recorded. Raises ValidationError (nothing stored) when the edition's entries have closed,
    when ineligible, or when the data is wrong. Raises NotAllowed when `by` registers someone
    else: a signed-in user registers their own account (`user`), a visitor (anonymous `by`) a
    new one; verified staff and SYSTEM may do either."""
    _check_registrant(by, user)
    eligibility = _check_may_register(edition, date_of_birth, community)
    user_model = get_user_model()
    if user is None:
        email = user_model.objects.normalize_email(email).lower()
        if user_model.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": _("An account with this e-mail address exists: sign in first.")}
            )
    else:
        email = user.email
        if Person.objects.in_program(PROGRAM).filter(user=user).exists():
            raise ValidationError(_("You are already registered as a student."))
    guardian_email = (guardian_email or "").strip().lower()
    if eligibility.guardian_needed:
        if not guardian_email:
            raise ValidationError(
                {"guardian_email": _("Give the e-mail address of a parent or guardian.")}
            )
        if guardian_email == email.lower():
            raise ValidationError(
                {"guardian_email": _("The guardian's e-mail address must be their own, not yours.")}
            )
    else:
        guardian_email = ""
    if user is None:
        user = user_model(email=email, full_name=f"{first_name} {last_name}".strip())
        user.set_password(password or None)
        user.full_clean(exclude=["password"])
        user.save()
    actor = by if by is SYSTEM or is_verified_staff(by) else user
    # One young person whatever the programs: someone already known (e.g. from the summit)
    # is the same row, with the same guardian.
    student = find_or_create_person(
        user=user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        community=community,
        school=school,
        guardian_email=guardian_email,
        by=actor,
    )
    log_activity(student, "showcase.student.registered", by=actor)
    if eligibility.guardian_needed:
        # The pending request rides along (not stored) for callers such as the demo.
        student.consent_request = request_guardian_consent(  # type: ignore[attr-defined]
            student=student, edition=edition, by=actor
        )
    else:
        # The adult student's own say, even when staff type the registration in.
        record_adult_consent(
            student=student,
            publication=publication_consent,
            by=SYSTEM if actor is SYSTEM else user,
        )
    return student
