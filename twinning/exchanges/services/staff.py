"""Coordinators with their training records, and schools with their acceptance letters
(issue 10 section 2). An expired training blocks new assignments (a home visit now; monthly
contacts when monitoring comes)."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.exchanges.models import Coordinator, School, Training

LETTER_FOLDER = "exchanges/schools"


def _check_manages(member: Any, by: Any) -> None:
    require(by, "exchanges.manage_committee", member)


# The attribute a list page may prefetch the trainings into (`to_attr`: the compliance page).
TRAININGS = "training_list"


def current_training(coordinator: Coordinator, on: datetime.date) -> Training | None:
    """The coordinator's training valid on `on` (the one that runs longest), if any."""
    found = getattr(coordinator, TRAININGS, None)
    found = coordinator.trainings.all() if found is None else found
    valid = [t for t in found if t.completed_on <= on < t.expires_on]
    return max(valid, key=lambda t: t.expires_on) if valid else None


def training_problem(coordinator: Coordinator, *, on: datetime.date | None = None) -> str:
    """Why the coordinator may not be given an assignment on `on` ("" when they may)."""
    on = on or association_today()
    if current_training(coordinator, on) is None:
        return _(
            "%(name)s's training is expired or not recorded: record a current training first."
        ) % {"name": coordinator.name}
    return ""


@transaction.atomic
def add_coordinator(
    *, member: Any, email: str, name: str, is_exchange_coordinator: bool, by: Any
) -> Coordinator:
    """A coordinator of the hosting committee, by the e-mail of their account (the committee's
    managers or verified staff)."""
    _check_manages(member, by)
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account uses this address: ask them to create one first.")}
        )
    if Coordinator.objects.filter(member=member, user=user).exists():
        raise ValidationError({"email": _("This person is already a coordinator here.")})
    coordinator = Coordinator(
        member=member,
        user=user,
        name=name.strip() or user.get_full_name(),
        is_exchange_coordinator=is_exchange_coordinator,
    )
    coordinator.full_clean()
    coordinator.save()
    log_activity(
        coordinator,
        "exchanges.coordinator.added",
        by=by,
        data={"member": member.pk, "exchange_coordinator": is_exchange_coordinator},
    )
    return coordinator


@transaction.atomic
def record_training(
    *,
    coordinator: Coordinator,
    course: str,
    completed_on: datetime.date,
    expires_on: datetime.date,
    by: Any,
) -> Training:
    """A coordinator's training record (the committee's managers or verified staff)."""
    _check_manages(coordinator.member, by)
    if expires_on <= completed_on:
        raise ValidationError({"expires_on": _("The training must expire after it was completed.")})
    if completed_on > association_today():
        raise ValidationError({"completed_on": _("The completion date is in the future.")})
    training = Training(
        coordinator=coordinator,
        course=course.strip(),
        completed_on=completed_on,
        expires_on=expires_on,
    )
    training.full_clean()
    training.save()
    log_activity(
        coordinator,
        "exchanges.coordinator.training_recorded",
        by=by,
        data={"course": training.course, "expires_on": expires_on.isoformat()},
    )
    return training


@transaction.atomic
def add_school(
    *,
    member: Any,
    name: str,
    address: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    by: Any,
) -> School:
    """A school near the hosting committee (the committee's managers or verified staff)."""
    _check_manages(member, by)
    school = School(
        member=member,
        name=name.strip(),
        address=address.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
    )
    school.full_clean()
    school.save()
    log_activity(school, "exchanges.school.added", by=by, data={"name": school.name})
    return school


@transaction.atomic
def file_acceptance_letter(
    *, school: School, upload: Any, signed_on: datetime.date, by: Any
) -> School:
    """The school's signed acceptance letter (a PDF through the upload pipeline, private
    storage); a new letter replaces the old once this commits."""
    _check_manages(school.member, by)
    if signed_on > association_today():
        raise ValidationError({"signed_on": _("The signing date is in the future.")})
    from twinning.core.media import delete_stored, private_storage, store_upload
    from twinning.core.uploads import PDF_LIMITS
    from twinning.core.uploads import Kind as UploadKind

    stored = store_upload(upload, allowed=[UploadKind.PDF], limits=PDF_LIMITS, folder=LETTER_FOLDER)
    old = school.letter_file
    school.letter_file = stored.files["document"].name
    school.letter_signed_on = signed_on
    try:
        school.full_clean()
        school.save()
    except Exception:
        delete_stored(private_storage, [school.letter_file])
        raise
    if old:
        transaction.on_commit(lambda: delete_stored(private_storage, [old]))
    log_activity(
        school, "exchanges.school.letter_filed", by=by, data={"signed_on": signed_on.isoformat()}
    )
    return school
