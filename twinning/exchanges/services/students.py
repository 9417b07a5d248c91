"""Seasons, the places offered, the sending side and its students (issue 10 section 1).

- The exchange is a program of youth's registry ("exchanges": participation, medical
  treatment, photos; minimum age 15): a nominated student is a youth Person with a Guardian,
  and the guardian consents by youth's single-use link, as for the summit.
- The sending committee's contact acts through their account or a single-use link (hashed
  with youth's `hash_token`, 14 days); once used, the view keeps the contact in the session.
- `nominate_student`: the age rule on the arrival date, the places offered, the restricted
  details in their own table, the guardian's consent link, and the status e-mail.
- `read_restricted`: the only way to read the restricted details, checked by
  `rules.may_read_restricted` (the exchange coordinator or welfare staff) and logged each
  time through `core.special.log_special_read` (field names and purpose, never values).
- `change_status`: each step with a message, e-mailed through the outbox and audited."""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.authz import (
    SYSTEM,
    NotAllowed,
    acting_user,
    is_verified_staff,
    require,
    require_verified_staff,
)
from twinning.core.dates import add_months
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.special import log_special_read
from twinning.exchanges.models import (
    Placement,
    Quota,
    RestrictedDetails,
    Season,
    SendingContact,
    StatusChange,
    Student,
    StudentDocument,
)
from twinning.exchanges.rules import may_read_restricted
from twinning.outbox.services import queue_email
from twinning.youth.age import age_on
from twinning.youth.models import Consent
from twinning.youth.services import find_or_create_person, has_consent, hash_token, request_consent

PROGRAM = "exchanges"
SCOPES = ("participation", "medical", "photos")
# A new version for every change of the notice's text: each answer keeps the version (and
# hash) it was given against, so earlier consents stay recorded against the earlier text.
# 2026-12: first text; 2026-12-2: names the readers of health details (the hosting
# committee's exchange coordinator and the association's welfare staff) and the retention;
# 2026-12-3: an application not accepted is deleted months after the decision (P-10).
NOTICE_VERSION = "2026-12-3"
CONTACT_LINK_DAYS = 14
RESTRICTED_FIELDS = (
    "medical_notes",
    "allergies",
    "passport_number",
    "passport_expires_on",
    "sponsor_form_number",
    "visa_issued_on",
    "visa_expires_on",
)
# The places a student holds: every status but these.
FREED = (Student.Status.DECLINED,)
DOCUMENT_BYTES = 10 * 1024 * 1024

READ_PURPOSE = "exchange care"

# Each status and the ones it may move to (PLACED comes from a placement, not from here).
NEXT = {
    Student.Status.NOMINATED: (Student.Status.ACCEPTED, Student.Status.DECLINED),
    Student.Status.ACCEPTED: (Student.Status.DECLINED,),
    Student.Status.PLACED: (Student.Status.VISA_ISSUED, Student.Status.RETURNED_EARLY),
    Student.Status.VISA_ISSUED: (Student.Status.ARRIVED, Student.Status.RETURNED_EARLY),
    Student.Status.ARRIVED: (Student.Status.COMPLETED, Student.Status.RETURNED_EARLY),
}
# Moves only the placement service makes, passing the placement it just opened
# (`services.placement.place_student`): no page or other caller sets them.
THROUGH_PLACEMENT = {Student.Status.ACCEPTED: (Student.Status.PLACED,)}
# The association's own decisions; the hosting committee records the steps of the stay.
STAFF_ONLY = (Student.Status.ACCEPTED, Student.Status.DECLINED)


def notice_text() -> str:
    return _(
        "The high-school exchange is run by the association, as its sponsor, with the hosting "
        "city's committee. To run it, the association keeps your child's name, date of birth, "
        "community, school documents, emergency contacts, and the health, passport and visa "
        "details you give. Health, passport and visa details are read only by the hosting "
        "committee's exchange coordinator and the association's welfare staff; every reading "
        "is recorded. The exchange's records are kept for three years after the exchange ends "
        "(the period set for the season), then deleted: only anonymous counts of students "
        "stay. An application the association does not accept is deleted %(months)d months "
        "after that decision. You answer each point separately: taking part; medical "
        "treatment in an emergency, when you cannot be reached; photos of your child in the "
        "association's reports. You can withdraw any of them at any time, with effect at once."
    ) % {"months": settings.EXCHANGES_UNPLACED_RETENTION_MONTHS}


def register_youth_program() -> None:
    """The exchange's scopes in youth's registry (called from the AppConfig.ready())."""
    from twinning.youth.programs import register_program

    register_program(
        PROGRAM,
        label=gettext_lazy("High-school exchange"),
        scopes={
            "participation": gettext_lazy("taking part"),
            "medical": gettext_lazy("medical treatment in an emergency"),
            "photos": gettext_lazy("photos"),
        },
        minimum_age=15,
        notice=notice_text,
        notice_version=NOTICE_VERSION,
        requires={
            "medical": (
                ("participation",),
                gettext_lazy("Medical treatment is only asked for a student taking part."),
            ),
            "photos": (
                ("participation",),
                gettext_lazy("Photos are only possible of a student taking part."),
            ),
        },
    )


# --- Reads ---------------------------------------------------------------------------------------


def age_reasons(season: Season, date_of_birth: datetime.date) -> list[str]:
    """Why a student born on `date_of_birth` may not take part in `season` (the age rule on
    the arrival date: at least 15, younger than 18 and a half by default)."""
    arrival = season.arrival_date
    reasons = []
    too_young = _("The student must be at least %(age)d on the arrival date.") % {
        "age": season.min_age_years
    }
    if date_of_birth > arrival:  # a date in the future: nothing more to compute
        return [too_young]
    if age_on(date_of_birth, arrival) < season.min_age_years:
        reasons.append(too_young)
    if add_months(date_of_birth, season.max_age_months) <= arrival:
        reasons.append(
            _(
                "The student must be younger than %(years)d years and %(months)d months on the "
                "arrival date."
            )
            % {"years": season.max_age_months // 12, "months": season.max_age_months % 12}
        )
    return reasons


def sending_community(quota: Quota) -> Any:
    """The partnership's other side: the sister city that sends the students."""
    partnership = quota.partnership
    hosts = set(quota.host.communities.values_list("pk", flat=True))
    return (
        partnership.community_b if partnership.community_a_id in hosts else partnership.community_a
    )


def places_taken(quota: Quota) -> int:
    return quota.students.exclude(status__in=FREED).count()


def with_consents(students: QuerySet[Student]) -> QuerySet[Student]:
    """Students annotated with each consent scope active now, for lists."""
    from twinning.youth.models import consent_active

    return students.annotate(
        **{f"consent_{scope}": consent_active(PROGRAM, scope, person="person") for scope in SCOPES}
    )


# --- Seasons and places --------------------------------------------------------------------------


@transaction.atomic
def create_season(
    *,
    name: str,
    slug: str,
    kind: str,
    arrival_date: datetime.date,
    departure_date: datetime.date,
    min_age_years: int = 15,
    max_age_months: int = 222,
    retention_years: int = 3,
    by: Any,
) -> Season:
    """A new season (verified staff); its personal data is deleted `retention_years` after
    the departure (services.retention)."""
    require_verified_staff(by)
    if departure_date <= arrival_date:
        raise ValidationError({"departure_date": _("The departure must come after the arrival.")})
    season = Season(
        name=name.strip(),
        slug=slug,
        kind=kind,
        arrival_date=arrival_date,
        departure_date=departure_date,
        min_age_years=min_age_years,
        max_age_months=max_age_months,
        retention_years=retention_years,
    )
    season.full_clean()
    season.save()
    log_activity(season, "exchanges.season.created", by=by, data={"name": season.name})
    return season


@transaction.atomic
def offer_places(*, season: Season, host: Any, partnership: Any, places: int, by: Any) -> Quota:
    """Record (or change) the places `host` offers its sister city through `partnership` in
    `season` (verified staff). ValidationError if the partnership is not the host's, or below
    the places already taken."""
    require_verified_staff(by)
    communities = set(host.communities.values_list("pk", flat=True))
    if not communities & {partnership.community_a_id, partnership.community_b_id}:
        raise ValidationError({"partnership": _("This partnership is not the committee's.")})
    quota = Quota.objects.select_for_update().filter(
        season=season, host=host, partnership=partnership
    ).first() or Quota(season=season, host=host, partnership=partnership)
    if quota.pk and places < places_taken(quota):
        raise ValidationError({"places": _("More students are already nominated.")})
    quota.places = places
    quota.full_clean()
    quota.save()
    log_activity(quota, "exchanges.places.offered", by=by, data={"places": places})
    return quota


# --- The sending contact -------------------------------------------------------------------------


def _check_manages(quota: Quota, by: Any) -> None:
    require(by, "exchanges.manage_committee", quota.host)


@transaction.atomic
def add_sending_contact(*, quota: Quota, name: str, email: str, by: Any) -> SendingContact:
    """A contact of the sending committee for `quota`, sent a single-use link at once. Verified
    staff or the hosting committee's managers. A contact with an account of that address acts
    through it too."""
    _check_manages(quota, by)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if quota.contacts.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This contact is already recorded.")})
    contact = SendingContact(
        quota=quota,
        name=name.strip(),
        email=email,
        user=get_user_model().objects.filter(email__iexact=email, is_active=True).first(),
    )
    contact.full_clean()
    contact.save()
    log_activity(contact, "exchanges.contact.added", by=by, data={"quota": quota.pk})
    send_contact_link(contact=contact, by=by)
    return contact


@transaction.atomic
def send_contact_link(*, contact: SendingContact, by: Any) -> str:
    """A new single-use link for the contact (the earlier one stops working), e-mailed.
    Returns the plain token (never stored)."""
    _check_manages(contact.quota, by)
    token = secrets.token_urlsafe(32)
    contact.token_hash = hash_token(token)
    contact.token_expires_at = timezone.now() + datetime.timedelta(days=CONTACT_LINK_DAYS)
    contact.token_used_at = None
    contact.save(update_fields=["token_hash", "token_expires_at", "token_used_at", "updated_at"])
    queue_email(
        to=contact.email,
        template="exchanges.contact_link",
        context={
            "contact_name": contact.name,
            "season": contact.quota.season.name,
            "host": contact.quota.host.name,
            "places": contact.quota.places,
            "link_url": absolute_url(reverse("exchanges:contact_open", kwargs={"token": token})),
            "days": CONTACT_LINK_DAYS,
        },
        related=contact,
        by=by,
    )
    log_activity(contact, "exchanges.contact.link_sent", by=by)
    return token


class ContactLinkInvalid(Exception):
    """An unknown, replaced, used or expired link (the view answers 404 and says so)."""


def open_contact_link(*, token: str) -> SendingContact:
    """The contact a link names, without spending it (mail scanners open links);
    ContactLinkInvalid for an unknown, replaced, used or expired one."""
    if not token or len(token) > 100:
        raise ContactLinkInvalid
    contact = SendingContact.objects.filter(
        token_hash=hash_token(token), token_used_at__isnull=True
    ).first()
    if contact is None or contact.token_expires_at is None:
        raise ContactLinkInvalid
    if contact.token_expires_at <= timezone.now():
        raise ContactLinkInvalid
    return contact


@transaction.atomic
def use_contact_link(*, token: str) -> SendingContact:
    """Spend a contact's single-use link: the view keeps the contact in the session."""
    if not token or len(token) > 100:
        raise ContactLinkInvalid
    contact = (
        SendingContact.objects.select_for_update()
        .filter(token_hash=hash_token(token), token_used_at__isnull=True)
        .first()
    )
    if contact is None or contact.token_expires_at is None:
        raise ContactLinkInvalid
    if contact.token_expires_at <= timezone.now():
        raise ContactLinkInvalid
    contact.token_used_at = timezone.now()
    contact.token_hash = None
    contact.save(update_fields=["token_used_at", "token_hash", "updated_at"])
    log_activity(contact, "exchanges.contact.link_used")
    return contact


def contact_may_act(contact: SendingContact | None, quota: Quota, user: Any) -> bool:
    """Whether `contact` (the one the session's link opened, or the user's) acts for `quota`."""
    if contact is None or contact.quota_id != quota.pk:
        return False
    if contact.user_id is not None and getattr(user, "pk", None) == contact.user_id:
        return True
    return contact.token_used_at is not None


def _check_sending(quota: Quota, by: Any, contact: SendingContact | None) -> None:
    if is_verified_staff(by) or by is SYSTEM:
        return
    if not contact_may_act(contact, quota, by):
        raise NotAllowed("exchanges.nominate_student")


# --- Students ------------------------------------------------------------------------------------


def _student_user(email: str, first_name: str, last_name: str) -> Any:
    """The student's account: an existing one of that address, or a new inactive one (the
    student sets a password through the reset page when they need to sign in)."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip()).lower()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=None, full_name=f"{first_name} {last_name}".strip()
        )
    return user


def _notify(student: Student, status: str, message: str, by: Any) -> None:
    """The status e-mail to the student and to the sending contact who nominated them."""
    recipients = {student.person.user.email}
    if student.nominated_by is not None:
        recipients.add(student.nominated_by.email)
    for address in sorted(a for a in recipients if a):
        queue_email(
            to=address,
            template="exchanges.student_status",
            context={
                "student_name": student.name,
                "season": student.season.name,
                "status": str(Student.Status(status).label),
                "message": message,
            },
            related=student,
            by=by,
        )


def _consent_mail(student: Student, consent: Consent, by: Any) -> None:
    queue_email(
        to=consent.email,
        template="exchanges.guardian_consent",
        context={
            "student_name": student.name,
            "season": student.season.name,
            "consent_url": absolute_url(
                reverse("exchanges:consent_open", kwargs={"token": consent.token})  # type: ignore[attr-defined]
            ),
            "days": 7,
        },
        related=consent,
        by=by,
    )


@transaction.atomic
def nominate_student(
    *,
    quota: Quota,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    email: str,
    guardian_email: str,
    emergency_contacts: str,
    interview_notes: str = "",
    medical_notes: str = "",
    allergies: str = "",
    passport_number: str = "",
    passport_expires_on: datetime.date | None = None,
    by: Any,
    contact: SendingContact | None = None,
) -> Student:
    """The sending committee nominates a student: the age rule on the arrival date, a free
    place, the young person (youth), the restricted details apart, the guardian's consent link
    and the status e-mail. Verified staff, or the quota's sending contact (through their
    account, or the link the session holds: `contact`)."""
    _check_sending(quota, by, contact)
    quota = Quota.objects.select_for_update().select_related("season", "host").get(pk=quota.pk)
    season = quota.season
    if reasons := age_reasons(season, date_of_birth):
        raise ValidationError({"date_of_birth": reasons})
    if not emergency_contacts.strip():
        raise ValidationError({"emergency_contacts": _("Give at least one emergency contact.")})
    guardian_email = guardian_email.strip().lower()
    if not guardian_email or guardian_email == email.strip().lower():
        raise ValidationError(
            {"guardian_email": _("Give the parent's or guardian's own e-mail address.")}
        )
    if places_taken(quota) >= quota.places:
        raise ValidationError(_("Every place offered is taken."))
    user = _student_user(email, first_name, last_name)
    # The nomination is the authority for the person: SYSTEM creates them (as an invitation
    # adds a co-admin in members), after the actor check above.
    person = find_or_create_person(
        user=user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        community=sending_community(quota),
        guardian_email=guardian_email,
        by=SYSTEM,
    )
    if Student.objects.filter(season=season, person=person).exists():
        raise ValidationError(_("This student is already nominated for this season."))
    student = Student(
        quota=quota,
        season=season,
        person=person,
        nominated_by=contact,
        emergency_contacts=emergency_contacts.strip(),
        interview_notes=interview_notes.strip(),
    )
    student.full_clean()
    student.save()
    details = RestrictedDetails(
        student=student,
        medical_notes=medical_notes.strip(),
        allergies=allergies.strip(),
        passport_number=passport_number.strip(),
        passport_expires_on=passport_expires_on,
    )
    details.full_clean()
    details.save()
    StatusChange.objects.create(
        student=student, status=student.status, changed_by=by if by.is_authenticated else None
    )
    if not has_consent(person, PROGRAM, "participation"):
        consent = request_consent(person=person, program=PROGRAM, by=SYSTEM)
        _consent_mail(student, consent, by)
    _notify(student, student.status, "", by)
    # Restricted data: the entry names the fields given, never their content.
    log_activity(
        student,
        "exchanges.student.nominated",
        by=by,
        data={
            "quota": quota.pk,
            "contact": contact.pk if contact else None,
            "fields": [name for name in RESTRICTED_FIELDS if getattr(details, name)],
        },
    )
    return student


@transaction.atomic
def resend_consent_link(*, student: Student, by: Any) -> Consent:
    """A new consent link for the guardian (staff or the hosting committee's managers)."""
    _check_manages(student.quota, by)
    consent = request_consent(person=student.person, program=PROGRAM, by=SYSTEM)
    _consent_mail(student, consent, by)
    log_activity(student, "exchanges.student.consent_link_sent", by=by)
    return consent


@transaction.atomic
def change_status(
    *, student: Student, status: str, message: str = "", by: Any, placement: Any = None
) -> Student:
    """Move a student to the next step, with a message e-mailed to the student and their
    sending contact. Accepting and declining are the association's (verified staff); the
    steps of the stay are also the hosting committee's. Accepting needs the guardian's consent
    to taking part. `accepted → placed` needs `placement`: the student's current placement,
    which only `services.placement.place_student` opens."""
    if status in STAFF_ONLY:
        require_verified_staff(by)
    else:
        _check_manages(student.quota, by)
    student = (
        Student.objects.select_for_update()
        .select_related("person__user", "season")
        .get(pk=student.pk)
    )
    now = Student.Status(student.status)
    placed = (
        placement is not None
        and status in THROUGH_PLACEMENT.get(now, ())
        and Placement.objects.current().filter(pk=placement.pk, student=student).exists()
    )
    if status not in NEXT.get(now, ()) and not placed:
        raise ValidationError(
            _("A student who is %(now)s cannot become %(next)s.")
            % {"now": student.get_status_display().lower(), "next": Student.Status(status).label}
        )
    if status == Student.Status.ACCEPTED and not has_consent(
        student.person, PROGRAM, "participation"
    ):
        raise ValidationError(
            _("The guardian has not given consent to taking part (or has withdrawn it).")
        )
    before = student.status
    student.status = status
    student.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(
        student=student,
        status=status,
        message=message.strip(),
        changed_by=acting_user(by),
    )
    _notify(student, status, message.strip(), by)
    log_activity(
        student, "exchanges.student.status_changed", by=by, data={"from": before, "to": status}
    )
    return student


# --- Restricted details --------------------------------------------------------------------------


@transaction.atomic
def read_restricted(*, student: Student, by: Any) -> dict[str, Any]:
    """The student's restricted details, and one audit entry saying who read which fields and
    why (K3, never the values). NotAllowed unless `rules.may_read_restricted` says yes."""
    if by is not SYSTEM and not may_read_restricted(by, student):
        raise NotAllowed("exchanges.read_restricted")
    details = RestrictedDetails.objects.filter(student=student).first()
    log_special_read(
        student,
        "exchanges.restricted.read",
        by=by,
        fields=RESTRICTED_FIELDS,
        purpose=READ_PURPOSE,
        quota=student.quota_id,
    )
    return {name: getattr(details, name, None) if details else None for name in RESTRICTED_FIELDS}


@transaction.atomic
def update_restricted(*, student: Student, by: Any, **values: Any) -> RestrictedDetails:
    """Record restricted details (those who may read them, `rules.may_read_restricted`: the
    hosting committee's exchange coordinator or welfare staff). The audit entry names the
    fields, never their values."""
    if by is not SYSTEM and not may_read_restricted(by, student):
        raise NotAllowed("exchanges.update_restricted")
    details, _created = RestrictedDetails.objects.select_for_update().get_or_create(student=student)
    changed = sorted(set(values) & set(RESTRICTED_FIELDS))
    for name in changed:
        value = values[name]
        setattr(details, name, value.strip() if isinstance(value, str) else value)
    issued, expires = details.visa_issued_on, details.visa_expires_on
    if issued and expires and expires <= issued:
        raise ValidationError({"visa_expires_on": _("The visa must expire after its issue.")})
    details.full_clean()
    details.save()
    log_activity(student, "exchanges.restricted.changed", by=by, data={"fields": changed})
    return details


# --- Documents -----------------------------------------------------------------------------------


def may_see_student(user: Any, student: Student, contact: SendingContact | None = None) -> bool:
    """Staff, the hosting committee's managers, and the quota's sending contact."""
    if user is not None and user.has_perm("exchanges.manage_committee", student.quota.host):
        return True
    if contact_may_act(contact, student.quota, user):
        return True
    if getattr(user, "is_authenticated", False):
        return SendingContact.objects.filter(quota_id=student.quota_id, user=user).exists()
    return False


def _delete_files(*names: str) -> None:
    from twinning.core.media import delete_stored, private_storage

    delete_stored(private_storage, names)


@transaction.atomic
def add_document(
    *, student: Student, kind: str, upload: Any, by: Any, contact: SendingContact | None = None
) -> StudentDocument:
    """An application document (PDF through the upload pipeline, private storage). The
    sending contact, the hosting committee's managers or verified staff."""
    if not (by is SYSTEM or may_see_student(by, student, contact)):
        raise NotAllowed("exchanges.add_document")
    if kind not in StudentDocument.Kind.values:
        raise ValidationError({"kind": _("Choose what the document is.")})
    from twinning.core.media import store_upload
    from twinning.core.uploads import PDF_LIMITS
    from twinning.core.uploads import Kind as UploadKind

    stored = store_upload(
        upload, allowed=[UploadKind.PDF], limits=PDF_LIMITS, folder="exchanges/documents"
    )
    stored_file = stored.files["document"]
    document = StudentDocument(
        student=student,
        kind=kind,
        display_name=stored.inspected.display_name[:120],
        file_name=stored_file.name,
        content_type=stored_file.mime,
    )
    try:
        document.full_clean()
        document.save()
    except Exception:
        _delete_files(stored_file.name)
        raise
    log_activity(student, "exchanges.document.added", by=by, data={"kind": kind})
    return document


__all__ = [
    "PROGRAM",
    "ContactLinkInvalid",
    "add_document",
    "add_sending_contact",
    "age_reasons",
    "change_status",
    "create_season",
    "nominate_student",
    "offer_places",
    "read_restricted",
    "register_youth_program",
    "resend_consent_link",
    "send_contact_link",
    "update_restricted",
    "use_contact_link",
]
