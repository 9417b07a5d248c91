"""Host families and their screening (issue 10 section 2).

The screening checklist (`screening_problems`): every adult of the household (18 or over, or
turning 18 before the screening horizon: the end of the longest stay a family may be asked
for) has a clear background check; two references answered through their single-use links
recommend the family; a local coordinator with current training reported a suitable home
visit. `approve_family` refuses while anything is missing and writes the `FamilyApproval` row
(the evidence named by PROTECT keys) that placements reference; a change that reopens the
checklist (a new household member) removes the approval again."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.exchanges.models import (
    BackgroundCheck,
    FamilyApproval,
    HomeVisit,
    HomeVisitPhoto,
    HostFamily,
    HouseholdMember,
    Reference,
    Season,
)
from twinning.exchanges.services.staff import training_problem
from twinning.outbox.services import queue_email
from twinning.youth.age import AGE_OF_MAJORITY, age_on
from twinning.youth.services import hash_token

REFERENCE_LINK_DAYS = 14
REFERENCES_NEEDED = 2
MAX_PHOTOS = 6
# A family is screened for any stay of the coming year (an academic year is the longest).
HORIZON_DAYS = 366


def screening_horizon(today: datetime.date | None = None) -> datetime.date:
    """The day up to which an adult is counted: a year from today, or the last departure of
    a season not yet over, whichever is later (someone turning 18 during the stay is an
    adult of the household)."""
    today = today or association_today()
    last = (
        Season.objects.filter(departure_date__gte=today)
        .order_by("-departure_date")
        .values_list("departure_date", flat=True)
        .first()
    )
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    return max(horizon, last) if last else horizon


# Attributes a list page may prefetch into (`Prefetch(..., to_attr=...)`, no related manager
# per row): the family's household, a member's checks (the compliance page).
HOUSEHOLD, CHECKS = "household_list", "check_list"


def adults(family: HostFamily, *, horizon: datetime.date) -> list[HouseholdMember]:
    members = getattr(family, HOUSEHOLD, None)
    return [
        person
        for person in (family.household.all() if members is None else members)
        if age_on(person.date_of_birth, horizon) >= AGE_OF_MAJORITY
    ]


def latest_check(person: HouseholdMember) -> BackgroundCheck | None:
    found = getattr(person, CHECKS, None)
    found = person.background_checks.all() if found is None else found
    checks = sorted(found, key=lambda c: (c.checked_on, c.pk))
    return checks[-1] if checks else None


def screening(
    family: HostFamily, today: datetime.date | None = None, *, horizon: datetime.date | None = None
) -> dict[str, Any]:
    """The checklist as the pages show it: each adult with their latest check, the references
    that recommend, the suitable visit, and `problems` (empty: the family may be approved).
    A page listing several families passes the `horizon` it computed once."""
    horizon = horizon or screening_horizon(today)
    grown = adults(family, horizon=horizon)
    problems = []
    if not grown:
        problems.append(_("Record every member of the household, adults included."))
    checks = []
    for person in grown:
        check = latest_check(person)
        checks.append((person, check))
        if check is None:
            problems.append(_("%(name)s has no background check.") % {"name": person.name})
        elif check.result != BackgroundCheck.Result.CLEAR:
            problems.append(_("%(name)s's background check is not clear.") % {"name": person.name})
    references = [r for r in family.references.all() if r.answered_at and r.recommends]
    if len(references) < REFERENCES_NEEDED:
        problems.append(
            _("%(count)d of the %(needed)d references recommend the family.")
            % {"count": len(references), "needed": REFERENCES_NEEDED}
        )
    visits = list(family.home_visits.all())  # the latest first
    visit = visits[0] if visits and visits[0].suitable else None
    if visit is None:
        problems.append(
            _("The latest home visit did not find the home suitable, or none is recorded.")
        )
    return {
        "horizon": horizon,
        "adults": checks,
        "references": references,
        "visit": visit,
        "problems": problems,
    }


def screening_problems(family: HostFamily, today: datetime.date | None = None) -> list[str]:
    return list(screening(family, today)["problems"])


def _family(family: HostFamily) -> HostFamily:
    return (
        HostFamily.objects.select_for_update()
        .prefetch_related("household__background_checks", "references", "home_visits")
        .get(pk=family.pk)
    )


def _check_manages(family: HostFamily, by: Any) -> None:
    require(by, "exchanges.manage_committee", family.member)


def _check_family_or_manager(family: HostFamily, by: Any) -> None:
    if getattr(by, "is_authenticated", False) and family.user_id == by.pk:
        return
    _check_manages(family, by)


def _withdraw_approval(family: HostFamily) -> None:
    """Remove the family's approval row, unless placements (current or past) rest on it: then
    the row stays for their history (PROTECT), the family's status alone says it is no longer
    approved (no new placement goes there), and a new approval refreshes that same row."""
    FamilyApproval.objects.filter(family=family, placements__isnull=True).delete()


def _reopen(family: HostFamily, reason: str, by: Any) -> None:
    """A change that reopens the checklist withdraws the approval (`_withdraw_approval`)."""
    if family.status == HostFamily.Status.APPROVED:
        _withdraw_approval(family)
        family.status = HostFamily.Status.APPLIED
        family.save(update_fields=["status", "updated_at"])
        log_activity(family, "exchanges.family.reopened", by=by, data={"reason": reason})


# --- The family's application --------------------------------------------------------------------


@transaction.atomic
def apply_as_host_family(
    *,
    member: Any,
    family_name: str,
    address: str,
    phone: str,
    languages: str,
    pets: str,
    smoking: bool,
    room: str,
    capacity: int,
    by: Any,
) -> HostFamily:
    """A signed-in person applies to host with the committee `member`."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        raise NotAllowed("exchanges.apply_as_host_family")
    if HostFamily.objects.filter(member=member, user=by).exists():
        raise ValidationError(_("You have already applied to host with this committee."))
    family = HostFamily(
        member=member,
        user=by,
        family_name=family_name.strip(),
        address=address.strip(),
        phone=phone.strip(),
        languages=languages.strip(),
        pets=pets.strip(),
        smoking=smoking,
        room=room.strip(),
        capacity=capacity,
    )
    family.full_clean()
    family.save()
    log_activity(family, "exchanges.family.applied", by=by, data={"member": member.pk})
    return family


@transaction.atomic
def add_household_member(
    *,
    family: HostFamily,
    name: str,
    date_of_birth: datetime.date,
    relationship: str,
    by: Any,
) -> HouseholdMember:
    """Someone living in the home (the family or the committee's managers). A new member
    reopens an approved family's checklist."""
    _check_family_or_manager(family, by)
    family = _family(family)
    if family.status == HostFamily.Status.DECLINED:
        raise ValidationError(_("This application is closed."))
    if date_of_birth > association_today():
        raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})
    person = HouseholdMember(
        family=family, name=name.strip(), date_of_birth=date_of_birth, relationship=relationship
    )
    person.full_clean()
    person.save()
    log_activity(family, "exchanges.family.member_added", by=by, data={"member": person.pk})
    _reopen(family, "household", by)
    return person


@transaction.atomic
def record_background_check(
    *,
    person: HouseholdMember,
    checked_on: datetime.date,
    provider: str,
    result: str,
    by: Any,
) -> BackgroundCheck:
    """A household member's background check (the committee's managers or verified staff).
    A check that is not clear reopens an approved family."""
    family = person.family
    _check_manages(family, by)
    if checked_on > association_today():
        raise ValidationError({"checked_on": _("The check date is in the future.")})
    check = BackgroundCheck(
        person=person,
        checked_on=checked_on,
        provider=provider.strip(),
        result=result,
        recorded_by=acting_user(by),
    )
    check.full_clean()
    check.save()
    log_activity(
        family,
        "exchanges.family.check_recorded",
        by=by,
        data={"member": person.pk, "result": result},
    )
    if result != BackgroundCheck.Result.CLEAR:
        _reopen(_family(family), "check", by)
    return check


@transaction.atomic
def ask_reference(*, family: HostFamily, name: str, email: str, by: Any) -> Reference:
    """The family names a referee, who is e-mailed a single-use link (hashed, 14 days). The
    plain token rides on the returned record as `.token` (never stored)."""
    _check_family_or_manager(family, by)
    email = email.strip().lower()
    if email == family.user.email.lower():
        raise ValidationError({"email": _("A reference comes from someone outside the family.")})
    if family.references.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This referee has already been asked.")})
    token = secrets.token_urlsafe(32)
    reference = Reference(
        family=family,
        name=name.strip(),
        email=email,
        token_hash=hash_token(token),
        token_expires_at=timezone.now() + datetime.timedelta(days=REFERENCE_LINK_DAYS),
    )
    reference.full_clean()
    reference.save()
    queue_email(
        to=email,
        template="exchanges.reference_request",
        context={
            "referee_name": reference.name,
            "family_name": family.family_name,
            "committee": family.member.name,
            "link_url": absolute_url(reverse("exchanges:reference", kwargs={"token": token})),
            "days": REFERENCE_LINK_DAYS,
        },
        related=reference,
        by=by,
    )
    log_activity(
        family, "exchanges.family.reference_asked", by=by, data={"reference": reference.pk}
    )
    reference.token = token  # type: ignore[attr-defined]  # for the caller, never stored
    return reference


class ReferenceLinkInvalid(Exception):
    """An unknown, used or expired reference link (the view says so, with a 404 or 410)."""


def open_reference(*, token: str) -> Reference:
    """The reference a link names; opening spends nothing (mail scanners open links)."""
    if not token or len(token) > 100:
        raise ReferenceLinkInvalid
    reference = (
        Reference.objects.select_related("family__member")
        .filter(token_hash=hash_token(token), answered_at__isnull=True)
        .first()
    )
    if reference is None or reference.token_expires_at is None:
        raise ReferenceLinkInvalid
    if reference.token_expires_at <= timezone.now():
        raise ReferenceLinkInvalid
    return reference


@transaction.atomic
def answer_reference(*, token: str, recommends: bool, statement: str) -> Reference:
    """The referee's answer; it spends the link."""
    reference = open_reference(token=token)
    reference = Reference.objects.select_for_update().get(pk=reference.pk)
    if reference.answered_at is not None:
        raise ReferenceLinkInvalid
    if not statement.strip():
        raise ValidationError({"statement": _("Tell us how you know the family.")})
    reference.recommends = recommends
    reference.statement = statement.strip()
    reference.answered_at = timezone.now()
    reference.token_hash = None
    reference.full_clean()
    reference.save()
    log_activity(
        reference.family,
        "exchanges.family.reference_answered",
        data={"reference": reference.pk, "recommends": recommends},
    )
    return reference


@transaction.atomic
def record_home_visit(
    *,
    family: HostFamily,
    coordinator: Any,
    visited_on: datetime.date,
    findings: str,
    suitable: bool,
    photos: list[Any] | None = None,
    by: Any,
) -> HomeVisit:
    """A local coordinator's home-visit report with private photos of the student's room (the
    committee's managers or verified staff). The coordinator must be the committee's and their
    training current."""
    _check_manages(family, by)
    if coordinator.member_id != family.member_id:
        raise ValidationError({"coordinator": _("Choose one of the committee's coordinators.")})
    if problem := training_problem(coordinator, on=visited_on):
        raise ValidationError({"coordinator": problem})
    if visited_on > association_today():
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    visit = HomeVisit(
        family=family,
        coordinator=coordinator,
        visited_on=visited_on,
        findings=findings.strip(),
        suitable=suitable,
    )
    visit.full_clean()
    visit.save()
    from twinning.core.media import store_upload
    from twinning.core.uploads import IMAGE_LIMITS
    from twinning.core.uploads import Kind as UploadKind

    for upload in photos:
        stored = store_upload(
            upload, allowed=[UploadKind.IMAGE], limits=IMAGE_LIMITS, folder="exchanges/visits"
        )
        display = stored.files["display"]
        HomeVisitPhoto.objects.create(
            visit=visit, file_name=display.name, content_type=display.mime
        )
        from twinning.core.media import delete_stored, private_storage

        # Only the display size is kept: the thumbnail is not used.
        delete_stored(private_storage, [stored.files["thumb"].name])
    log_activity(
        family,
        "exchanges.family.visit_recorded",
        by=by,
        data={"visit": visit.pk, "suitable": suitable, "photos": len(photos)},
    )
    if not suitable:
        _reopen(_family(family), "visit", by)
    return visit


@transaction.atomic
def approve_family(*, family: HostFamily, by: Any) -> FamilyApproval:
    """Approve a family whose screening is complete (the committee's managers or verified
    staff): ValidationError listing what is missing otherwise. Writes the approval row naming
    its evidence, and tells the family."""
    _check_manages(family, by)
    family = _family(family)
    if family.status != HostFamily.Status.APPLIED:
        raise ValidationError(_("Only a family awaiting a decision can be approved."))
    checklist = screening(family)
    if checklist["problems"]:
        raise ValidationError(checklist["problems"])
    first, second = checklist["references"][:REFERENCES_NEEDED]
    # A family approved before and placed with keeps its row (placements rest on it).
    approval = FamilyApproval.objects.select_for_update(of=("self",)).filter(
        family=family
    ).first() or FamilyApproval(family=family)
    approval.home_visit = checklist["visit"]
    approval.first_reference = first
    approval.second_reference = second
    approval.adults_checked = len(checklist["adults"])
    approval.capacity = family.capacity
    approval.approved_by = acting_user(by)
    if approval.pk:
        approval.approved_at = timezone.now()
    approval.full_clean()
    approval.save()
    family.status = HostFamily.Status.APPROVED
    family.save(update_fields=["status", "updated_at"])
    _family_mail(family, _("approved: thank you for opening your home"), by)
    log_activity(
        family, "exchanges.family.approved", by=by, data={"adults": approval.adults_checked}
    )
    return approval


@transaction.atomic
def decline_family(*, family: HostFamily, message: str, by: Any) -> HostFamily:
    """Decline a family's application (the committee's managers or verified staff)."""
    _check_manages(family, by)
    family = _family(family)
    if family.status == HostFamily.Status.DECLINED:
        raise ValidationError(_("This application is already declined."))
    _withdraw_approval(family)
    family.status = HostFamily.Status.DECLINED
    family.save(update_fields=["status", "updated_at"])
    _family_mail(family, message.strip() or _("not approved"), by)
    log_activity(family, "exchanges.family.declined", by=by)
    return family


def _family_mail(family: HostFamily, outcome: str, by: Any) -> None:
    queue_email(
        to=family.user.email,
        template="exchanges.family_decision",
        context={
            "family_name": family.family_name,
            "committee": family.member.name,
            "outcome": outcome,
            "page_url": absolute_url(reverse("exchanges:family_home")),
        },
        related=family,
        by=by,
    )
