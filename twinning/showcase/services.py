"""Writes of the showcase's student side (C4, C5): editions and categories, students and their
consent, entries and their work. Every service is keyword-only, atomic, validated, audited,
and schedules its follow-up work (e-mails, derivatives) once the transaction commits."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import (
    SYSTEM,
    NotAllowed,
    acting_user,
    is_verified_staff,
    require,
    require_verified_staff,
)
from twinning.core.dates import association_today
from twinning.core.media import private_storage, store_bytes
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.uploads import (
    Kind,
    UploadLimits,
    audio_derivative,
    decode_text,
    image_derivatives,
    inspect_upload,
    pdf_derivative,
    read_limited,
    text_derivative,
)
from twinning.network.models import Community
from twinning.outbox.services import queue_email
from twinning.showcase import emails
from twinning.showcase.eligibility import check_eligibility, needs_guardian
from twinning.showcase.models import Category, Consent, Edition, Entry, EntryFile, Student
from twinning.showcase.privacy import NOTICE_VERSION, notice_hash

CONSENT_LINK_DAYS = 7  # AUTH-11: a consent link expires within 7 days
MANAGE_LINK_SALT = "twinning.showcase.guardian-manage"
MANAGE_LINK_MAX_AGE = 3 * 366 * 24 * 3600  # consent records are kept as proof for 3 years


class ConsentLinkInvalid(Exception):
    """An unknown, mistyped or replaced consent link (the view answers 404 and says so)."""


class ConsentLinkUsed(ConsentLinkInvalid):
    """A consent link already answered (the view answers 410 and says so)."""


class ConsentLinkExpired(Exception):
    """A consent link past its expiry (the view answers 410 and says so)."""


def _now() -> datetime.datetime:
    return timezone.now()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Editions and categories -------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryDefaults:
    slug: str
    name: Any
    work_kind: str
    max_bytes: int
    max_lines: int | None = None
    max_words: int | None = None
    max_seconds: int | None = None


MB = 1024 * 1024


def default_categories() -> list[CategoryDefaults]:
    image, audio, text = (Category.WorkKind.IMAGE, Category.WorkKind.AUDIO, Category.WorkKind.TEXT)
    return [
        CategoryDefaults("art", _("Art"), image, 20 * MB),
        CategoryDefaults("digital-art", _("Digital art"), image, 20 * MB),
        CategoryDefaults("photography", _("Photography"), image, 20 * MB),
        CategoryDefaults("poetry", _("Poetry"), text, 5 * MB, max_lines=40),
        CategoryDefaults("prose", _("Prose"), text, 5 * MB, max_words=2500),
        CategoryDefaults("music", _("Music"), audio, 50 * MB, max_seconds=300),
    ]


EDITION_FIELDS = (
    "year",
    "theme",
    "rules",
    "opens_at",
    "closes_at",
    "cutoff_date",
    "age_min",
    "age_max",
    "entries_per_category",
    "retention_months",
    "local_forward_limit",
)


@transaction.atomic
def create_edition(
    *,
    year: int,
    theme: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    cutoff_date: datetime.date,
    slug: str = "",
    rules: str = "",
    with_default_categories: bool = True,
    prizes: Iterable[Decimal] | None = None,
    by: Any,
    **options: Any,
) -> Edition:
    """Create an edition and, by default, its six categories with their limits and prizes.
    Raises ValidationError for inconsistent dates or a taken slug."""
    require(by, "showcase.manage_edition")
    edition = Edition(
        year=year,
        theme=theme,
        rules=rules,
        opens_at=opens_at,
        closes_at=closes_at,
        cutoff_date=cutoff_date,
        slug=slug or slugify(f"{year}-{theme}")[:60].strip("-") or str(year),
        **{k: v for k, v in options.items() if k in EDITION_FIELDS},
    )
    _clean_edition(edition)
    edition.save()
    if with_default_categories:
        first, second, third = (
            list(prizes) if prizes else [Decimal("1000"), Decimal("250"), Decimal("100")]
        )
        for order, spec in enumerate(default_categories()):
            category = Category(
                edition=edition,
                slug=spec.slug,
                name=str(spec.name),
                work_kind=spec.work_kind,
                order=order,
                max_bytes=spec.max_bytes,
                max_lines=spec.max_lines,
                max_words=spec.max_words,
                max_seconds=spec.max_seconds,
                prize_first=first,
                prize_second=second,
                prize_third=third,
            )
            category.full_clean()
            category.save()
    log_activity(edition, "showcase.edition.created", by=by, data={"year": year})
    return edition


def _clean_edition(edition: Edition) -> None:
    errors: dict[str, list[str]] = {}
    if edition.opens_at and edition.closes_at and edition.closes_at <= edition.opens_at:
        errors["closes_at"] = [_("The closing time must come after the opening time.")]
    if (
        edition.age_min is not None
        and edition.age_max is not None
        and edition.age_max < edition.age_min
    ):
        errors["age_max"] = [_("The maximum age cannot be below the minimum age.")]
    if errors:
        raise ValidationError(errors)
    edition.full_clean()


@transaction.atomic
def update_edition(*, edition: Edition, by: Any, **fields: Any) -> Edition:
    """Change an edition's settings (staff). Logs the fields that changed."""
    require(by, "showcase.manage_edition")
    changed = {}
    for name, value in fields.items():
        if name in EDITION_FIELDS and getattr(edition, name) != value:
            changed[name] = str(value)
            setattr(edition, name, value)
    _clean_edition(edition)
    edition.save()
    log_activity(edition, "showcase.edition.changed", by=by, data=changed)
    return edition


# --- Students and consent ----------------------------------------------------------------------


def closed_to_newcomers(edition: Edition | None) -> str:
    """Why no new student may register and no guardian's consent may be asked for `edition`,
    in words ("" when both are still possible). None stands for "no edition is open"."""
    if edition is None:
        return _(
            "No showcase edition is accepting entries now: a guardian's consent can be asked "
            "again when the next edition opens."
        )
    if edition.has_closed():
        return _(
            "Entries to the %(year)s showcase closed on %(when)s: new students can no longer "
            "register for it, and no guardian's consent can be asked for it."
        ) % {"year": edition.year, "when": _when(edition.closes_at)}
    return ""


def consent_edition(student: Student) -> Edition | None:
    """The edition a new consent request is for: the one open now (the newest)."""
    return Edition.objects.open_at().order_by("-opens_at").first()


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


def _check_student_or_staff(student: Student, by: Any) -> None:
    """The student themself, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    if by is SYSTEM or is_verified_staff(by):
        return
    if not getattr(by, "is_authenticated", False) or student.user_id != by.pk:
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
) -> Student:
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
        if Student.objects.filter(user=user).exists():
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
    student = Student(
        user=user,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        community=community,
        school=school.strip(),
        guardian_email=guardian_email,
    )
    student.full_clean()
    student.save()
    actor = by if by is SYSTEM or is_verified_staff(by) else user
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


@transaction.atomic
def request_guardian_consent(
    *, student: Student, edition: Edition | None = None, by: Any
) -> Consent:
    """Send the guardian a new single-use link (AUTH-11): 256 random bits, stored hashed, valid
    7 days, bound to this one consent record. Earlier unanswered links stop working. The
    returned record carries the plain token as `.token` (never stored) for the caller that
    sends the link by other means (the demo). Raises ValidationError with the reason after
    the edition's entries have closed (or when no edition is open)."""
    _check_student_or_staff(student, by)
    if not student.guardian_email:
        raise ValidationError(_("No guardian e-mail address is recorded."))
    edition = edition or consent_edition(student)
    closed = closed_to_newcomers(edition)
    if closed:
        raise ValidationError(closed)
    now = _now()
    Consent.objects.filter(student=student).pending().update(token_hash=None)
    token = secrets.token_urlsafe(32)
    consent = Consent(
        student=student,
        email=student.guardian_email,
        verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK,
        token_hash=_hash_token(token),
        token_expires_at=now + datetime.timedelta(days=CONSENT_LINK_DAYS),
    )
    consent.full_clean()
    consent.save()
    consent.token = token  # type: ignore[attr-defined]
    log_activity(consent, "showcase.consent.requested", by=by)
    queue_email(
        to=consent.email,
        template=emails.CONSENT_REQUEST,
        context={
            "first_name": student.first_name,
            "edition": edition.year if edition else "",
            "consent_url": absolute_url(reverse("showcase:consent_open", args=[token])),
            "expires": formats.date_format(
                timezone.localtime(consent.token_expires_at), "DATE_FORMAT"
            ),
        },
        related=student,
        by=by,
    )
    return consent


@transaction.atomic
def record_adult_consent(*, student: Student, publication: bool, by: Any) -> Consent:
    """An adult student takes part on their own say; publication is their separate choice.
    Only the student themself (or SYSTEM) gives it: NotAllowed for anyone else."""
    if by is not SYSTEM and (
        not getattr(by, "is_authenticated", False) or student.user_id != by.pk
    ):
        raise NotAllowed
    now = _now()
    consent = Consent(
        student=student,
        email=student.user.email,
        verified_by=Consent.Verification.ADULT_SIGNED_IN,
        responded_at=now,
        notice_version=NOTICE_VERSION,
        notice_hash=notice_hash(),
        participation_at=now,
        publication_at=now if publication else None,
    )
    consent.full_clean()
    consent.save()
    log_activity(
        consent, "showcase.consent.given", by=by, data={"scopes": consent.scopes, "adult": True}
    )
    return consent


def _link_consent(token: str, *, lock: bool = False) -> Consent:
    """The consent record a link's token names, if the link can still be answered."""
    if not token or len(token) > 100:
        raise ConsentLinkInvalid
    found = Consent.objects.select_related("student__community__country")
    if lock:
        found = found.select_for_update(of=("self",))
    consent = found.filter(token_hash=_hash_token(token)).first()
    if consent is None:
        raise ConsentLinkInvalid
    if consent.token_used_at is not None or consent.responded_at is not None:
        raise ConsentLinkUsed
    if consent.token_expires_at is None or consent.token_expires_at <= _now():
        raise ConsentLinkExpired
    return consent


def open_consent_link(*, token: str) -> Consent:
    """The consent record a guardian's link asks about. Opening the link changes nothing (mail
    scanners open links too): only the answer spends it. Raises ConsentLinkInvalid for an
    unknown or replaced link, ConsentLinkUsed once answered, ConsentLinkExpired after 7 days."""
    return _link_consent(token)


@transaction.atomic
def answer_consent(*, token: str, participation: bool, publication: bool) -> Consent:
    """Record the guardian's answer to the notice: two separate scopes (PRIV-4); this spends the
    single-use link (AUTH-11). Publication without participation makes no sense and is refused.
    Sends the confirmation e-mail with the long-lived link to manage the consent. Raises
    ConsentLinkInvalid, ConsentLinkUsed (answered already, e.g. in another tab) or
    ConsentLinkExpired like `open_consent_link`, and ValidationError for the scopes."""
    consent = _link_consent(token, lock=True)
    if publication and not participation:
        raise ValidationError(
            {"publication": _("Publication is only possible for a student taking part.")}
        )
    now = _now()
    consent.token_used_at = now
    consent.responded_at = now
    consent.notice_version = NOTICE_VERSION
    consent.notice_hash = notice_hash()
    consent.participation_at = now if participation else None
    consent.publication_at = now if publication else None
    consent.full_clean()
    consent.save()
    log_activity(consent, "showcase.consent.given", data={"scopes": consent.scopes})
    yes, no = _("yes"), _("no")
    queue_email(
        to=consent.email,
        template=emails.CONSENT_CONFIRMED,
        context={
            "first_name": consent.student.first_name,
            "participation": yes if participation else no,
            "publication": yes if publication else no,
            "manage_url": manage_url(consent),
        },
        related=consent.student,
    )
    return consent


def manage_token(consent: Consent) -> str:
    return signing.dumps({"c": consent.pk}, salt=MANAGE_LINK_SALT, compress=True)


def manage_url(consent: Consent) -> str:
    return absolute_url(reverse("showcase:guardian_link", args=[manage_token(consent)]))


def consent_for_manage_token(value: str) -> Consent | None:
    """The consent record a guardian's manage link names, if the link is genuine, not too old,
    and its guardian is still the student's guardian (C5: a replaced guardian loses access)."""
    try:
        data = signing.loads(value, salt=MANAGE_LINK_SALT, max_age=MANAGE_LINK_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    consent = (
        Consent.objects.select_related("student").filter(pk=data.get("c")).first()
        if isinstance(data, dict)
        else None
    )
    return consent if consent is not None and is_current_guardian(consent) else None


def is_current_guardian(consent: Consent) -> bool:
    return (
        consent.verified_by == Consent.Verification.GUARDIAN_EMAIL_LINK
        and consent.token_used_at is not None
        and consent.email.lower() == consent.student.guardian_email.lower()
    )


SCOPES = ("participation", "publication")


@transaction.atomic
def withdraw_consent(
    *, student: Student, scope: str, by: Any, guardian: Consent | None = None
) -> int:
    """Withdraw a scope at once for every record of the student (PRIV-4). Withdrawing
    participation withdraws publication too. Returns how many records changed.

    The student themself, verified staff or SYSTEM may; a guardian (no account) acts through
    `guardian`, the current consent record their link opened. NotAllowed for anyone else."""
    if not (
        guardian is not None and guardian.student_id == student.pk and is_current_guardian(guardian)
    ):
        _check_student_or_staff(student, by)
    if scope not in SCOPES:
        raise ValidationError(_("Unknown consent."))
    now = _now()
    scopes = SCOPES if scope == "participation" else ("publication",)
    changed = 0
    for name in scopes:
        active = student.consents.filter(
            **{f"{name}_at__isnull": False, f"{name}_withdrawn_at__isnull": True}
        )
        for consent in active:
            log_activity(consent, "showcase.consent.withdrawn", by=by, data={"scope": name})
        changed += active.update(**{f"{name}_withdrawn_at": now})
    guardian = student.consents.filter(
        verified_by=Consent.Verification.GUARDIAN_EMAIL_LINK, email__iexact=student.guardian_email
    ).first()
    if changed and guardian is not None and student.guardian_email:
        queue_email(
            to=student.guardian_email,
            template=emails.CONSENT_WITHDRAWN,
            context={
                "first_name": student.first_name,
                "scope": _("taking part") if scope == "participation" else _("publication"),
                "when": formats.date_format(timezone.localtime(now), "DATETIME_FORMAT"),
                "manage_url": manage_url(guardian),
            },
            related=student,
            by=by,
        )
    return changed


@transaction.atomic
def give_publication_consent(*, student: Student, by: Any) -> Consent:
    """An adult student (for themself) consents to publication after registering."""
    if not getattr(by, "is_authenticated", False) or student.user_id != by.pk:
        raise NotAllowed
    if any(e.minor_at_cutoff for e in student.entries.all()) or student.guardian_email:
        raise NotAllowed
    if student.consents.publication_active().exists():
        return student.consents.publication_active().first()  # type: ignore[return-value]
    return record_adult_consent(student=student, publication=True, by=by)


# --- Entries -----------------------------------------------------------------------------------


def _check_open(edition: Edition) -> None:
    now = _now()
    if now < edition.opens_at:
        raise ValidationError(_("Entries open on %(when)s.") % {"when": _when(edition.opens_at)})
    if now >= edition.closes_at:
        raise ValidationError(
            _("The deadline has passed (%(when)s): entries can no longer be changed.")
            % {"when": _when(edition.closes_at)}
        )


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def check_text_limits(text: str, category: Category) -> None:
    """Poems up to max_lines non-empty lines, prose up to max_words words."""
    if category.max_lines is not None:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > category.max_lines:
            raise ValidationError(
                {
                    "text": _("A poem may have at most %(max)s lines; this one has %(n)s.")
                    % {"max": category.max_lines, "n": len(lines)}
                }
            )
    if category.max_words is not None:
        words = len(text.split())
        if words > category.max_words:
            raise ValidationError(
                {
                    "text": _("The text may have at most %(max)s words; this one has %(n)s.")
                    % {"max": category.max_words, "n": words}
                }
            )


def _check_owner(entry: Entry, by: Any) -> None:
    """The entry's own student (or SYSTEM); NotAllowed for anyone else."""
    if by is SYSTEM:
        return
    if entry.student is None or entry.student.user_id != getattr(by, "pk", None):
        raise NotAllowed


@transaction.atomic
def create_entry(
    *,
    student: Student,
    category: Category,
    title: str,
    statement: str = "",
    text: str = "",
    alt_text: str = "",
    by: Any,
) -> Entry:
    """Start a draft entry. The edition must be open, the student eligible for it, and under
    the per-category limit (counted under a lock on the student, so two parallel requests
    cannot both take the last place)."""
    if by is not SYSTEM and student.user_id != getattr(by, "pk", None):
        raise NotAllowed
    edition = category.edition
    _check_open(edition)
    student = Student.objects.select_for_update().get(pk=student.pk)
    eligibility = check_eligibility(
        edition=edition,
        date_of_birth=student.date_of_birth,
        community=student.community,
        today=association_today(),
    )
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    taken = Entry.objects.active().filter(student=student, category=category).count()
    if taken >= edition.entries_per_category:
        raise ValidationError(
            {
                "category": _("You already have %(n)s entry in %(category)s, the most allowed.")
                % {"n": taken, "category": category.name}
            }
        )
    entry = Entry(
        edition=edition,
        category=category,
        student=student,
        title=title.strip(),
        statement=statement.strip(),
        alt_text=alt_text.strip(),
        minor_at_cutoff=needs_guardian(student.date_of_birth, edition, association_today()),
    )
    _set_text(entry, text)
    entry.full_clean()
    entry.save()
    log_activity(entry, "showcase.entry.created", by=by, data={"category": category.slug})
    return entry


def _set_text(entry: Entry, text: str) -> None:
    text = text_derivative(text or "").strip()
    if entry.category.work_kind != Category.WorkKind.TEXT:
        return
    if text:
        check_text_limits(text, entry.category)
        entry.text = text
        entry.media_status = Entry.MediaStatus.READY
    elif entry.text:
        entry.text = ""
        if not hasattr(entry, "work_file") or entry.pk is None:
            entry.media_status = Entry.MediaStatus.MISSING


@transaction.atomic
def update_entry(
    *,
    entry: Entry,
    title: str,
    statement: str = "",
    text: str = "",
    alt_text: str = "",
    by: Any,
) -> Entry:
    """Change a draft or submitted entry until the deadline."""
    entry = Entry.objects.select_for_update().select_related("category", "edition").get(pk=entry.pk)
    _check_owner(entry, by)
    _check_open(entry.edition)
    if not entry.is_editable_state:
        raise ValidationError(_("A withdrawn entry cannot be changed."))
    entry.title, entry.statement, entry.alt_text = (
        title.strip(),
        statement.strip(),
        alt_text.strip(),
    )
    if entry.category.work_kind == Category.WorkKind.TEXT:
        had_file = EntryFile.objects.filter(entry=entry).exists()
        if text.strip():
            _set_text(entry, text)
            if had_file:
                _delete_work_file(entry)
        elif not had_file:
            entry.text = ""
            entry.media_status = Entry.MediaStatus.MISSING
    if entry.state == Entry.State.SUBMITTED:
        _check_complete(entry)
    entry.full_clean()
    entry.save()
    log_activity(entry, "showcase.entry.changed", by=by)
    return entry


def _allowed_kinds(category: Category) -> tuple[list[Kind], UploadLimits]:
    limits = UploadLimits(
        max_bytes=category.max_bytes,
        max_seconds=category.max_seconds or 300,
        max_lines=category.max_lines,
        max_words=category.max_words,
    )
    kinds = {
        Category.WorkKind.IMAGE: [Kind.IMAGE],
        Category.WorkKind.AUDIO: [Kind.AUDIO],
        Category.WorkKind.TEXT: [Kind.PDF, Kind.TEXT],
    }[category.work_kind]
    return kinds, limits


def _delete_files_on_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            if name and private_storage.exists(name):
                private_storage.delete(name)

    transaction.on_commit(delete)


def _delete_work_file(entry: Entry) -> None:
    work_file = EntryFile.objects.filter(entry=entry).first()
    if work_file is not None:
        _delete_files_on_commit(work_file.storage_names())
        work_file.delete()


@transaction.atomic
def attach_work(*, entry: Entry, upload: Any, by: Any) -> Entry:
    """Take the work's file: checked by content against the category's limits (UPL-1) before
    anything is stored; the original kept privately; derivatives made by a background task.
    A typed text file becomes the entry's text. Replaces an earlier file."""
    from twinning.showcase.tasks import make_derivatives_task

    entry = Entry.objects.select_for_update().select_related("category", "edition").get(pk=entry.pk)
    _check_owner(entry, by)
    _check_open(entry.edition)
    if not entry.is_editable_state:
        raise ValidationError(_("A withdrawn entry cannot be changed."))
    kinds, limits = _allowed_kinds(entry.category)
    inspected = inspect_upload(upload, allowed=kinds, limits=limits)
    data = read_limited(upload, limits.max_bytes)
    if inspected.kind == Kind.TEXT:
        _set_text(entry, decode_text(data, limits=limits))
        _delete_work_file(entry)
        entry.save()
        log_activity(entry, "showcase.entry.work_attached", by=by, data={"kind": "text"})
        return entry
    _delete_work_file(entry)
    name = store_bytes(data, extension=inspected.extension, folder="showcase/originals")
    work_file = EntryFile(
        entry=entry,
        kind=str(inspected.kind),
        display_name=inspected.display_name,
        original_name=name,
        original_mime=inspected.mime,
        original_size=inspected.size,
        sha256=inspected.sha256,
        width=inspected.width,
        height=inspected.height,
        seconds=inspected.seconds,
    )
    try:
        work_file.full_clean()
        work_file.save()
        entry.text = ""
        entry.media_status = Entry.MediaStatus.PROCESSING
        entry.save()
    except Exception:
        private_storage.delete(name)  # nothing is kept of a file whose row was not saved
        raise
    log_activity(entry, "showcase.entry.work_attached", by=by, data={"kind": str(inspected.kind)})
    transaction.on_commit(partial(make_derivatives_task.enqueue, entry_file_id=work_file.pk))
    return entry


_DERIVATIVE_EXTENSIONS = {
    "image/webp": "webp",
    "image/jpeg": "jpg",
    "image/png": "png",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "application/pdf": "pdf",
}


def _extension(mime: str) -> str:
    return _DERIVATIVE_EXTENSIONS.get(mime, "bin")


@transaction.atomic
def make_derivatives(*, entry_file: EntryFile) -> EntryFile:
    """Re-encode the original into what judges and the public see, without any metadata;
    marks the entry's work ready, or failed with the reason."""
    entry_file = (
        EntryFile.objects.select_for_update()
        .select_related("entry__category")
        .get(pk=entry_file.pk)
    )
    if entry_file.derivative_name:
        return entry_file
    _kinds, limits = _allowed_kinds(entry_file.entry.category)
    with private_storage.open(entry_file.original_name, "rb") as handle:
        data = handle.read()
    stored: list[str] = []
    try:
        if entry_file.kind == Kind.IMAGE:
            made = image_derivatives(data, limits=limits)
            display, display_mime = made["display"]
            thumb, thumb_mime = made["thumb"]
            entry_file.thumb_name = store_bytes(
                thumb, extension=_extension(thumb_mime), folder="showcase/derivatives"
            )
            stored.append(entry_file.thumb_name)
            entry_file.thumb_mime = thumb_mime
        elif entry_file.kind == Kind.AUDIO:
            display, display_mime = audio_derivative(data, max_seconds=limits.max_seconds)
        else:
            display, display_mime = pdf_derivative(data, max_pages=limits.max_pages)
        entry_file.derivative_name = store_bytes(
            display, extension=_extension(display_mime), folder="showcase/derivatives"
        )
        stored.append(entry_file.derivative_name)
    except (ValidationError, ValueError, OSError) as error:
        for name in stored:
            private_storage.delete(name)
        entry_file.derivative_name = entry_file.thumb_name = entry_file.thumb_mime = ""
        entry_file.error = (" ".join(getattr(error, "messages", [str(error)])))[:300]
        entry_file.save()
        Entry.objects.filter(pk=entry_file.entry_id).update(media_status=Entry.MediaStatus.FAILED)
        log_activity(entry_file.entry, "showcase.entry.derivatives_failed")
        return entry_file
    entry_file.derivative_mime = display_mime
    entry_file.derivative_size = len(display)
    entry_file.processed_at = _now()
    entry_file.error = ""
    entry_file.save()
    Entry.objects.filter(pk=entry_file.entry_id).update(media_status=Entry.MediaStatus.READY)
    log_activity(entry_file.entry, "showcase.entry.derivatives_made")
    return entry_file


@transaction.atomic
def give_up_derivatives(*, entry_file_id: int, reason: str) -> EntryFile | None:
    """The platform gave up preparing a work (its worker died on every attempt, or the task
    failed, DUR-4): the entry shows "could not be prepared" to the student and staff, with the
    reason for staff, until staff prepare it again or the student uploads anew. Nothing to do
    when the file has gone (a new upload replaced it) or its derivatives exist."""
    entry_file = EntryFile.objects.select_for_update().filter(pk=entry_file_id).first()
    if entry_file is None or entry_file.derivative_name:
        return entry_file
    entry_file.error = reason[:300]
    entry_file.save(update_fields=["error"])
    Entry.objects.filter(pk=entry_file.entry_id).update(media_status=Entry.MediaStatus.FAILED)
    log_activity(entry_file.entry, "showcase.entry.derivatives_failed", data={"reason": reason})
    return entry_file


@transaction.atomic
def prepare_work_again(*, entry: Entry, by: Any) -> Entry:
    """Staff have an entry's work prepared again from its original (DUR-4): after a failure,
    or when it has been "being prepared" for too long. The derivatives task runs again."""
    from twinning.showcase.tasks import make_derivatives_task

    require_verified_staff(by)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    work_file = EntryFile.objects.filter(entry=entry).first()
    preparable = (Entry.MediaStatus.FAILED, Entry.MediaStatus.PROCESSING)
    if work_file is None or entry.media_status not in preparable:
        raise ValidationError(_("Only a work file that is not ready can be prepared again."))
    work_file.error = ""
    work_file.save(update_fields=["error"])
    entry.media_status = Entry.MediaStatus.PROCESSING
    entry.save(update_fields=["media_status", "updated_at"])
    log_activity(entry, "showcase.entry.work_prepared_again", by=by)
    transaction.on_commit(partial(make_derivatives_task.enqueue, entry_file_id=work_file.pk))
    return entry


def _check_complete(entry: Entry) -> None:
    if entry.media_status == Entry.MediaStatus.MISSING:
        raise ValidationError(_("Add the work itself (a file or the text) before submitting."))
    if entry.media_status == Entry.MediaStatus.FAILED:
        raise ValidationError(
            _("The file could not be prepared; upload it again or choose another file.")
        )
    if entry.category.work_kind == Category.WorkKind.IMAGE and not entry.alt_text:
        raise ValidationError(
            {"alt_text": _("Describe the image in a sentence for people who cannot see it.")}
        )
    if not entry.title:
        raise ValidationError({"title": _("Give the work a title.")})


@transaction.atomic
def submit_entry(*, entry: Entry, by: Any) -> Entry:
    """Move a draft to SUBMITTED before the deadline (checked here, on the server). A minor's
    entry is judged only once a guardian consents (Entry.objects.eligible_for_judging)."""
    entry = Entry.objects.select_for_update().select_related("category", "edition").get(pk=entry.pk)
    _check_owner(entry, by)
    _check_open(entry.edition)
    if entry.state != Entry.State.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    _check_complete(entry)
    entry.state = Entry.State.SUBMITTED
    entry.submitted_at = _now()
    entry.save()
    log_activity(entry, "showcase.entry.submitted", by=by)
    queue_email(
        to=entry.student.user.email,
        template=emails.ENTRY_SUBMITTED,
        context={
            "first_name": entry.student.first_name,
            "title": entry.title,
            "category": entry.category.name,
            "closes": _when(entry.edition.closes_at),
            "entries_url": absolute_url(reverse("showcase:my_entries")),
        },
        recipient=entry.student.user,
        related=entry,
        by=by,
    )
    return entry


@transaction.atomic
def withdraw_entry(*, entry: Entry, by: Any) -> Entry:
    """Withdraw an entry (any time): it leaves judging and the exhibit at once."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _check_owner(entry, by)
    if entry.state == Entry.State.WITHDRAWN:
        return entry
    entry.state = Entry.State.WITHDRAWN
    entry.withdrawn_at = _now()
    entry.save()
    log_activity(entry, "showcase.entry.withdrawn", by=by)
    return entry


@transaction.atomic
def approve_entry(*, entry: Entry, by: Any) -> Entry:
    """Staff approve a submitted entry for publication (PRIV-20); publication still needs the
    publication consent at the time of showing."""
    require(by, "showcase.approve_entry")
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != Entry.State.SUBMITTED or entry.media_status != Entry.MediaStatus.READY:
        raise ValidationError(_("Only a submitted entry with its work ready can be approved."))
    entry.approved_at = _now()
    entry.approved_by = acting_user(by)
    entry.save()
    log_activity(entry, "showcase.entry.approved", by=by)
    return entry


@transaction.atomic
def revoke_approval(*, entry: Entry, by: Any) -> Entry:
    """Staff take an approval back: the work leaves the public exhibit at once."""
    require(by, "showcase.approve_entry")
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    entry.approved_at = None
    entry.approved_by = None
    entry.save()
    log_activity(entry, "showcase.entry.approval_revoked", by=by)
    return entry
