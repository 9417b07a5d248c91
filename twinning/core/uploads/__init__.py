"""The safe-upload pipeline every app uses (UPL-0 to UPL-3, UPL-6, PRIV-9).

`inspect_upload` decides what a file *is* from its bytes alone (never its name or the type the
browser declared) and refuses, with a specific translatable message, anything outside the
allow-list: images (JPEG, PNG, WebP), audio (MP3, WAV, FLAC, Ogg), PDF, UTF-8 plain text and
Office documents (DOCX, XLSX: no macros, embedded objects or remote templates).
The derivative functions then rebuild each accepted file from its decoded content, so what is
stored, shown to judges or published carries no metadata (GPS, EXIF, XMP, IPTC, ID3, PDF Info)
and no active content. A file that cannot be rebuilt is refused (PRIV-9): the original is never
published as-is.

Everything here works on bytes in memory and writes nothing; `twinning.core.media` stores the
derivatives under UUID names.

The package's modules follow the pipeline: `policy` (kinds, limits, messages), `reading`,
`sniffing`, `names`, `inspection` (the entry point), one module per kind (`images`, `audio`,
`pdf`, `text`, `office`) with its checks and its derivative, and `quotas`. Import from the package:
every public name is here.
"""

from twinning.core.uploads.audio import audio_derivative
from twinning.core.uploads.images import image_derivatives
from twinning.core.uploads.inspection import inspect_upload
from twinning.core.uploads.names import sanitize_display_name
from twinning.core.uploads.office import OFFICE_MIMES, office_derivative
from twinning.core.uploads.pdf import pdf_derivative
from twinning.core.uploads.policy import (
    AUDIO_LIMITS,
    DISPLAY_SIZE,
    IMAGE_LIMITS,
    MAX_AUDIO_CHANNELS,
    MAX_DISPLAY_NAME,
    MAX_METADATA_BYTES,
    MAX_PDF_OBJECTS,
    MB,
    MESSAGES,
    OFFICE_LIMITS,
    PDF_LIMITS,
    TEXT_LIMITS,
    THUMB_SIZE,
    InspectedUpload,
    Kind,
    UploadLimits,
    refuse,
)
from twinning.core.uploads.quotas import check_quota
from twinning.core.uploads.reading import read_limited
from twinning.core.uploads.sniffing import sniff
from twinning.core.uploads.text import decode_text, text_derivative

__all__ = [
    "AUDIO_LIMITS",
    "DISPLAY_SIZE",
    "IMAGE_LIMITS",
    "MAX_AUDIO_CHANNELS",
    "MAX_DISPLAY_NAME",
    "MAX_METADATA_BYTES",
    "MAX_PDF_OBJECTS",
    "MB",
    "MESSAGES",
    "OFFICE_LIMITS",
    "OFFICE_MIMES",
    "PDF_LIMITS",
    "TEXT_LIMITS",
    "THUMB_SIZE",
    "InspectedUpload",
    "Kind",
    "UploadLimits",
    "audio_derivative",
    "check_quota",
    "decode_text",
    "image_derivatives",
    "inspect_upload",
    "office_derivative",
    "pdf_derivative",
    "read_limited",
    "refuse",
    "sanitize_display_name",
    "sniff",
    "text_derivative",
]
