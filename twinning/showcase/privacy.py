"""Privacy of the showcase's students (PRIV-4, PRIV-10..P-12): the consent notice and its hash, the
access export, erasure on request, and retention on schedule. Scores stay, anonymised: the
review engine's items lose their title and conflict keys, never their scores.

The showcase writes only its own tables (entries, files, erasure requests, certificates): the
student, their guardian and consents are youth's and go through `youth.privacy`; the review
engine, the audit log, the outbox and the documents app (a certificate's kept texts) each
forget through their own service (`review.privacy`, `core.privacy`, `outbox.privacy`,
`documents.services.discard_document` via `certificates.forget_certificates`)."""

import datetime
import hashlib
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.dates import add_months, association_date, association_today
from twinning.core.media import private_storage
from twinning.core.services import log_activity
from twinning.showcase.certificates import forget_certificates
from twinning.showcase.models import PROGRAM, Edition, Entry, EntryFile, ErasureRequest
from twinning.youth import privacy as youth_privacy

Person = Any  # a youth.models.Person: this module reaches young people through youth.privacy

NOTICE_VERSION = "2025-1"
UNCONSENTED_DAYS = 30  # an account whose guardian never consents is deleted after 30 days
ERASURE_DAYS_MONTHS = 1
ERASURE_MAX_EXTENSION_MONTHS = 2

NOTICE = gettext_lazy(
    "What we keep and why. To run the showcase we keep your child's first and last name, date "
    "of birth, e-mail address, community, school if given, your e-mail address, and the work "
    "they enter with its title and statement. Judges see only the work, its title and "
    "statement, under a code: never the name, age, school or community. If you also consent "
    "to publication, a work chosen for the virtual exhibit is shown with the first name, "
    "community and country only. Photos and recordings are re-encoded and all hidden "
    "information in the files (such as location, camera or author) is removed. Entries that "
    "do not win are reduced to anonymous counts twelve months after the edition closes (or "
    "the period set for the edition); an account whose consent is never given is deleted "
    "after 30 days. You can withdraw either consent at any time and it takes effect at once; "
    "you can download the data we hold and ask us to erase it from your consent page."
)


def notice_text() -> str:
    """The notice as shown, in the active language."""
    return str(NOTICE)


def notice_hash() -> str:
    """SHA-256 of the exact notice text shown (PRIV-4), kept with each consent."""
    return hashlib.sha256(notice_text().encode()).hexdigest()


# --- Access export (PRIV-12) ----------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


def export_student_data(student: Person) -> dict[str, Any]:
    """Everything held about the student, and nothing about anyone else (no judges, staff,
    other students; the consent token only as 'used or not'). The profile and consents come
    from youth (every program's consents: it is the person's data)."""
    entries = []
    for entry in student.entries.select_related("edition", "category").order_by("pk"):
        work_file = EntryFile.objects.filter(entry=entry).first()
        entries.append(
            {
                "edition": entry.edition.year,
                "theme": entry.edition.theme,
                "category": entry.category.name,
                "title": entry.title,
                "statement": entry.statement,
                "text": entry.text,
                "alt_text": entry.alt_text,
                "state": entry.state,
                "created_at": _iso(entry.created_at),
                "submitted_at": _iso(entry.submitted_at),
                "withdrawn_at": _iso(entry.withdrawn_at),
                "approved_for_publication": entry.approved_at is not None,
                "file": None
                if work_file is None
                else {
                    "name": work_file.display_name,
                    "type": work_file.original_mime,
                    "size": work_file.original_size,
                    "sha256": work_file.sha256,
                    "width": work_file.width,
                    "height": work_file.height,
                    "seconds": work_file.seconds,
                    "uploaded_at": _iso(work_file.uploaded_at),
                },
            }
        )
    return {
        "format": "twinning-showcase-student/1",
        "exported_at": _iso(timezone.now()),
        "student": youth_privacy.person_data(student),
        "consents": youth_privacy.consents_data(student),
        "entries": entries,
        "erasure_requests": [
            {
                "reference": r.reference,
                "requested_at": _iso(r.requested_at),
                "due_on": _iso(r.deadline),
                "carried_out_at": _iso(r.executed_at),
            }
            for r in student.erasure_requests.order_by("pk")
        ],
    }


# --- Erasure (PRIV-11) ----------------------------------------------------------------------------


@transaction.atomic
def request_erasure(*, student: Person, requested_by: str, by: Any = None) -> ErasureRequest:
    """Record a request to erase the student's data, due one month from today. A second
    request while one is open returns the open one."""
    from twinning.outbox.services import queue_email
    from twinning.showcase import emails

    open_request = student.erasure_requests.filter(executed_at__isnull=True).first()
    if open_request is not None:
        return open_request
    today = association_today()
    request = ErasureRequest(
        student=student,
        reference=f"ER-{today:%Y%m%d}-{student.pk}",
        requested_by=requested_by,
        due_on=add_months(today, ERASURE_DAYS_MONTHS),
    )
    request.full_clean()
    request.save()
    log_activity(request, "showcase.erasure.requested", by=by, data={"by": requested_by})
    to = student.guardian_email if requested_by == "guardian" else student.user.email
    queue_email(
        to=to,
        template=emails.ERASURE_REQUESTED,
        context={
            "first_name": student.first_name,
            "reference": request.reference,
            "due_on": request.due_on.isoformat(),
        },
        related=student,
        by=by,
    )
    return request


@transaction.atomic
def extend_erasure(
    *, request: ErasureRequest, until: datetime.date, reason: str, by: Any
) -> ErasureRequest:
    """Staff extend the deadline by at most two more months, with a reason (GDPR Art. 12(3))."""
    if not reason.strip():
        raise ValidationError({"extension_reason": _("Say why the erasure needs more time.")})
    if until <= request.due_on or until > add_months(request.due_on, ERASURE_MAX_EXTENSION_MONTHS):
        raise ValidationError(
            {"extended_to": _("Choose a date after the due date and at most two months later.")}
        )
    request.extended_to = until
    request.extension_reason = reason.strip()
    request.full_clean()
    request.save()
    log_activity(request, "showcase.erasure.extended", by=by, data={"until": until.isoformat()})
    return request


def _anonymise_review_items(entry_ids: list[int]) -> None:
    """Scores stay with their review items; what could identify the student goes."""
    from twinning.review.privacy import forget_items_of

    if entry_ids:
        forget_items_of(model=Entry, object_ids=entry_ids)


def _delete_files(files: list[EntryFile]) -> None:
    names = [name for f in files for name in f.storage_names()]

    def delete() -> None:
        for name in names:
            if private_storage.exists(name):
                private_storage.delete(name)

    transaction.on_commit(delete)


def _erase_student(student: Person, entry_ids: list[int]) -> None:
    """The showcase is done with the student: youth forgets them (audit details, mail) with
    their entries as subjects, and deletes the person, their consents and, unless it has
    another role, the account; a person another program still holds keeps their profile and
    loses only the showcase's consents."""
    youth_privacy.erase_person(student, program=PROGRAM, subjects=[(Entry, entry_ids)])


def _erase_entries(entries: list[Entry], now: datetime.datetime) -> None:
    ids = [entry.pk for entry in entries]
    forget_certificates(entry_ids=ids)
    _delete_files(list(EntryFile.objects.filter(entry_id__in=ids)))
    EntryFile.objects.filter(entry_id__in=ids).delete()
    Entry.objects.filter(pk__in=ids).update(
        student=None,
        title="",
        statement="",
        text="",
        alt_text="",
        state=Entry.State.WITHDRAWN,
        media_status=Entry.MediaStatus.MISSING,
        approved_at=None,
        erased_at=now,
    )
    _anonymise_review_items(ids)


@transaction.atomic
def execute_erasure(*, request: ErasureRequest, by: Any) -> ErasureRequest:
    """Erase the student: files, entries' personal content (the entries stay as anonymous
    rows so their scores stay), consents, profile, account (unless it has another role),
    mail and audit details. Idempotent."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.executed_at is not None:
        return request
    now = timezone.now()
    student = request.student
    if student is not None:
        entries = list(student.entries.all())
        entry_ids = [e.pk for e in entries]
        _erase_entries(entries, now)
        request.student = None
        request.executed_at = now
        request.executed_by = by
        request.save()
        _erase_student(student, entry_ids)
    else:
        request.executed_at = now
        request.executed_by = by
        request.save()
    log_activity(request, "showcase.erasure.executed", by=by)
    return request


# --- Retention (PRIV-10) --------------------------------------------------------------------------


def retention_due_on(edition: Edition) -> datetime.date:
    closes = association_date(edition.closes_at)
    return add_months(closes, edition.retention_months)


def _kept_entry_ids(edition: Edition) -> set[int]:
    """Winners, finalists and honourable mentions whose publication consent stands."""
    from twinning.review.models import Decision

    decided = Decision.objects.filter(
        item__content_type=ContentType.objects.get_for_model(Entry),
        outcome__in=[
            Decision.Outcome.WINNER,
            Decision.Outcome.FINALIST,
            Decision.Outcome.HONOURABLE_MENTION,
        ],
    ).values_list("item__object_id", flat=True)
    ids = {int(pk) for pk in decided if str(pk).isdigit()}
    return set(
        Entry.objects.publishable().filter(edition=edition, pk__in=ids).values_list("pk", flat=True)
    )


@transaction.atomic
def apply_edition_retention(*, edition: Edition, today: datetime.date | None = None) -> int:
    """Once the edition's retention period has passed, reduce every entry that is not a
    published winner to counts, and delete students left with no entries. Returns how many
    entries were reduced. Does nothing before the due date."""
    today = today or association_today()
    if today < retention_due_on(edition):
        return 0
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    kept = _kept_entry_ids(edition)
    expired = list(
        Entry.objects.filter(edition=edition, erased_at__isnull=True)
        .exclude(pk__in=kept)
        .select_related("category")
    )
    counts = edition.retained_counts or {}
    tally = Counter((e.category.slug, e.state) for e in expired)
    for (category, state), n in tally.items():
        counts.setdefault(category, {})
        counts[category][state] = counts[category].get(state, 0) + n
    students = {e.student_id for e in expired if e.student_id}
    ids = [e.pk for e in expired]
    forget_certificates(entry_ids=ids)
    _delete_files(list(EntryFile.objects.filter(entry_id__in=ids)))
    _anonymise_review_items(ids)
    Entry.objects.filter(pk__in=ids).delete()
    still_entered = set(
        Entry.objects.filter(student_id__in=students).values_list("student_id", flat=True)
    )
    for student in youth_privacy.people(students - still_entered):
        _erase_student(student, [])
    edition.retained_counts = counts
    edition.retention_done_at = timezone.now()
    edition.save(update_fields=["retained_counts", "retention_done_at", "updated_at"])
    log_activity(edition, "showcase.edition.retention_applied", data={"entries": len(ids)})
    return len(ids)


@transaction.atomic
def delete_unconsented_students(*, now: datetime.datetime | None = None) -> int:
    """Delete accounts of minors whose guardian has not consented 30 days after registering."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=UNCONSENTED_DAYS)
    stale = youth_privacy.never_consented(PROGRAM, "participation", before=cutoff)
    count = 0
    for student in stale:
        entries = list(student.entries.all())
        entry_ids = [e.pk for e in entries]
        forget_certificates(entry_ids=entry_ids)
        _delete_files(list(EntryFile.objects.filter(entry__in=entries)))
        _erase_student(student, entry_ids)
        _anonymise_review_items(entry_ids)
        Entry.objects.filter(pk__in=entry_ids).delete()
        count += 1
    return count


def apply_retention(*, today: datetime.date | None = None) -> dict[str, int]:
    """The nightly job: every edition past its period, and unconsented accounts."""
    reduced = sum(
        apply_edition_retention(edition=edition, today=today) for edition in Edition.objects.all()
    )
    return {"entries_reduced": reduced, "accounts_deleted": delete_unconsented_students()}
