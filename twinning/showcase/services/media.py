"""The derivatives of an entry's work (what reviewers and the exhibit show), and
preparing them again."""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import require_verified_staff
from twinning.core.media import private_storage, store_bytes
from twinning.core.services import log_activity
from twinning.core.uploads import Kind, audio_derivative, image_derivatives, pdf_derivative
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.services.editions import _now
from twinning.showcase.services.entries import _allowed_kinds

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
