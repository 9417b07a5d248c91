"""The policy (UPL-0): kinds, limits, what an inspection yields, and the refusal messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IMAGE = "image", _("image (JPEG, PNG or WebP)")
    AUDIO = "audio", _("audio (MP3, WAV, FLAC or Ogg)")
    PDF = "pdf", _("PDF document")
    TEXT = "text", _("plain text (UTF-8)")
    DOCX = "docx", _("Word document (DOCX)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


@dataclass(frozen=True)
class UploadLimits:
    """Caps for one upload field. `max_bytes` is the only required one: every field must say
    how big a file it takes. `max_pages` applies to PDFs only."""

    max_bytes: int
    max_pixels: int = 40_000_000
    max_side: int = 10_000
    max_seconds: float = 300
    max_lines: int | None = None
    max_words: int | None = None
    max_pages: int = 50


MB = 1024 * 1024
# The UPL-0 table, as constants the apps and the tests import.
IMAGE_LIMITS = UploadLimits(max_bytes=20 * MB)
AUDIO_LIMITS = UploadLimits(max_bytes=50 * MB, max_seconds=600)
PDF_LIMITS = UploadLimits(max_bytes=10 * MB, max_pages=50)
TEXT_LIMITS = UploadLimits(max_bytes=200 * 1024)
OFFICE_LIMITS = UploadLimits(max_bytes=20 * MB)

# Metadata segments (EXIF, XMP, ICC, comments, text chunks) beyond this are refused: a real
# camera or editor writes well under it, and "10 MB of XMP" is a parser attack (UPL-1).
MAX_METADATA_BYTES = 2 * MB
# A PDF with more objects than this is refused before any of them is parsed (object-stream bombs).
MAX_PDF_OBJECTS = 50_000
DISPLAY_SIZE = 1600
THUMB_SIZE = 400
MAX_AUDIO_CHANNELS = 8
MAX_DISPLAY_NAME = 100


@dataclass(frozen=True)
class InspectedUpload:
    kind: Kind
    mime: str
    extension: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    seconds: float | None
    display_name: str  # sanitised, <= 100 chars (UPL-6)


# --- Messages -----------------------------------------------------------------------------
# One message per reason (UPL-1): what is wrong, and what is accepted instead.

MESSAGES = {
    "empty": _("The file is empty. Choose the file again; it may not have been saved."),
    "too_large": _(
        "The file is larger than the limit of %(limit)s. Send a smaller or compressed version."
    ),
    "malware": _(
        "The file contains a virus test signature and cannot be accepted. Send the work itself."
    ),
    "unrecognised": _(
        "We could not recognise this file from its content. Accepted here: %(accepted)s."
    ),
    "not_allowed": _("This file is %(found)s, which is not accepted here. Accepted: %(accepted)s."),
    "forbidden_type": _(
        "%(found)s files are not accepted, whatever their name. Accepted here: %(accepted)s."
    ),
    "markup": _(
        "The file contains web-page code (HTML, SVG or script) hidden inside it, so it cannot be "
        "accepted. Export the file again from your editing program. Accepted: %(accepted)s."
    ),
    "image_invalid": _(
        "The image could not be read; it may be damaged. Save it again as JPEG, PNG or WebP."
    ),
    "image_truncated": _(
        "The image is incomplete (the file was cut off). Save or download it again, then retry."
    ),
    "image_too_many_pixels": _(
        "The image has %(pixels)s pixels; the most we accept is %(limit)s. Resize it and retry."
    ),
    "image_too_wide": _(
        "The image is %(width)s × %(height)s pixels; neither side may exceed %(limit)s pixels. "
        "Resize it and retry."
    ),
    "image_metadata": _(
        "The image carries too much hidden data (metadata such as EXIF, XMP or colour profiles). "
        "Export it again without metadata."
    ),
    "audio_invalid": _(
        "The audio file could not be read; it may be damaged. Send an MP3, WAV, FLAC or Ogg file."
    ),
    "audio_lying_header": _(
        "The audio file's header does not match its content; it may be damaged. Export it again "
        "as MP3, WAV, FLAC or Ogg."
    ),
    "audio_too_long": _(
        "The recording lasts %(seconds)s seconds; the most we accept is %(limit)s seconds. "
        "Shorten it and retry."
    ),
    "audio_metadata": _(
        "The recording carries too much embedded data (cover picture or tags). Export it again "
        "without cover art and retry."
    ),
    "audio_channels": _(
        "The recording has %(channels)s channels; we accept at most %(limit)s. Export it as stereo."
    ),
    "pdf_invalid": _(
        "The PDF could not be read; it may be damaged. Save or print it again as a PDF and retry."
    ),
    "pdf_encrypted": _(
        "The PDF is password-protected. Remove the password (or print it to a new PDF) and retry."
    ),
    "pdf_active_content": _(
        "The PDF contains scripts, automatic actions, launch commands or attached files "
        "(%(what)s), which are not accepted. Print it to a new PDF and retry."
    ),
    "pdf_too_many_pages": _(
        "The PDF has %(pages)s pages; the most we accept is %(limit)s. Send only the pages needed."
    ),
    "pdf_too_complex": _(
        "The PDF is too complex to check safely. Print it to a new PDF and retry."
    ),
    "office_invalid": _(
        "The document could not be read; it may be damaged. Save it again from Word or Excel "
        "(as .docx or .xlsx) and retry."
    ),
    "office_encrypted": _(
        "The document is password-protected. Remove the password, save it again and retry."
    ),
    "office_active_content": _(
        "The document contains macros, embedded programs or files, or a link that loads a "
        "template from elsewhere, which are not accepted. Save it as a plain .docx or .xlsx "
        "(without macros or embedded objects) and retry."
    ),
    "office_too_complex": _(
        "The document is too large once unpacked to check safely. Split it or remove large "
        "pictures, then retry."
    ),
    "text_utf16": _("The text file is saved as UTF-16. Save it as UTF-8 (plain text) and retry."),
    "text_encoding": _(
        "The text file is not valid UTF-8 (line %(line)s). Save it as UTF-8 plain text and retry."
    ),
    "text_nul": _(
        "The text file contains NUL characters, so it is not plain text. Save it as UTF-8 plain "
        "text and retry."
    ),
    "text_too_many_lines": _(
        "The text has %(lines)s lines; the most we accept is %(limit)s. Shorten it and retry."
    ),
    "text_too_many_words": _(
        "The text has %(words)s words; the most we accept is %(limit)s. Shorten it and retry."
    ),
    "quota_files": _(
        "You have already added %(limit)s files, the most allowed here. Remove one to add another."
    ),
    "quota_bytes": _(
        "Together your files would exceed %(limit)s. Remove a file or send a smaller one."
    ),
    "reencode_failed": _(
        "The file could not be converted for safe display, so it cannot be accepted. "
        "Export it again as %(accepted)s and retry."
    ),
}


def refuse(code: str, **params) -> ValidationError:
    """The ValidationError for one refusal reason; `code` is a key of MESSAGES."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _accepted(allowed: Iterable[Kind]) -> str:
    labels = [str(Kind(kind).label) for kind in allowed]
    return ", ".join(labels)


def _human_size(size: int) -> str:
    return filesizeformat(size)
