"""Entries and their work: creating, editing, attaching the file, submitting, approving."""

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, require
from twinning.core.dates import association_today
from twinning.core.media import private_storage, store_bytes
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.uploads import (
    Kind,
    UploadLimits,
    decode_text,
    inspect_upload,
    read_limited,
    text_derivative,
)
from twinning.outbox.services import queue_email
from twinning.showcase import emails
from twinning.showcase.eligibility import check_eligibility, needs_guardian
from twinning.showcase.models import Category, Edition, Entry, EntryFile
from twinning.showcase.services.editions import _now
from twinning.youth.models import Person


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
    student: Person,
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
    student = Person.objects.select_for_update().get(pk=student.pk)
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
