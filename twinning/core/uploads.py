"""The safe-upload pipeline every app uses (RELIABILITY F0-F3, F6, P-09).

`inspect_upload` decides what a file *is* from its bytes alone (never its name or the type the
browser declared) and refuses, with a specific translatable message, anything outside the
allow-list: images (JPEG, PNG, WebP), audio (MP3, WAV, FLAC, Ogg), PDF and UTF-8 plain text.
The derivative functions then rebuild each accepted file from its decoded content, so what is
stored, shown to judges or published carries no metadata (GPS, EXIF, XMP, IPTC, ID3, PDF Info)
and no active content. A file that cannot be rebuilt is refused (P-09): the original is never
published as-is.

Everything here works on bytes in memory and writes nothing; `twinning.core.media` stores the
derivatives under UUID names.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# --- The policy (F0) ----------------------------------------------------------------------


class Kind(models.TextChoices):
    IMAGE = "image", _("image (JPEG, PNG or WebP)")
    AUDIO = "audio", _("audio (MP3, WAV, FLAC or Ogg)")
    PDF = "pdf", _("PDF document")
    TEXT = "text", _("plain text (UTF-8)")


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
# The F0 table, as constants the apps and the tests import.
IMAGE_LIMITS = UploadLimits(max_bytes=20 * MB)
AUDIO_LIMITS = UploadLimits(max_bytes=50 * MB, max_seconds=600)
PDF_LIMITS = UploadLimits(max_bytes=10 * MB, max_pages=50)
TEXT_LIMITS = UploadLimits(max_bytes=200 * 1024)

# Metadata segments (EXIF, XMP, ICC, comments, text chunks) beyond this are refused: a real
# camera or editor writes well under it, and "10 MB of XMP" is a parser attack (F1).
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
    display_name: str  # sanitised, <= 100 chars (F6)


# --- Messages -----------------------------------------------------------------------------
# One message per reason (F1): what is wrong, and what is accepted instead.

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


# --- Sniffing by content ------------------------------------------------------------------

# Built from pieces so this source file itself carries no test signature.
_EICAR_MARKER = b"EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE"
_MARKUP = re.compile(
    rb"<(?:script|html|svg|body|iframe|object|embed|!doctype\s+html|\?php)[\s>/]",
    re.IGNORECASE,
)
# (mime, extension) by format.
_FORMATS = {
    "JPEG": (Kind.IMAGE, "image/jpeg", "jpg"),
    "PNG": (Kind.IMAGE, "image/png", "png"),
    "WEBP": (Kind.IMAGE, "image/webp", "webp"),
    "MP3": (Kind.AUDIO, "audio/mpeg", "mp3"),
    "WAV": (Kind.AUDIO, "audio/wav", "wav"),
    "FLAC": (Kind.AUDIO, "audio/flac", "flac"),
    "OGG": (Kind.AUDIO, "audio/ogg", "ogg"),
    "PDF": (Kind.PDF, "application/pdf", "pdf"),
    "TEXT": (Kind.TEXT, "text/plain", "txt"),
}
# Formats recognised only to be refused by name (F0 "never").
_FORBIDDEN = [
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "Gzip"),
    (b"MZ", "Windows program"),
    (b"\x7fELF", "Program"),
    (b"\xd0\xcf\x11\xe0", "Office"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
]
_MARKUP_START = re.compile(rb"^\s*<(?:\?xml|svg|!doctype|html|script)", re.IGNORECASE)


def _id3_end(data: bytes) -> int:
    """Offset just after a leading ID3v2 tag (0 when there is none)."""
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = data[6:10]
    if any(b & 0x80 for b in size):
        return 0
    length = (size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]
    footer = 10 if data[5] & 0x10 else 0
    return 10 + length + footer


def _is_mpeg_frame(data: bytes, at: int) -> bool:
    if len(data) < at + 4:
        return False
    b1, b2, b3 = data[at + 1], data[at + 2], data[at + 3]
    return (
        data[at] == 0xFF
        and (b1 & 0xE0) == 0xE0  # frame sync
        and (b1 >> 3) & 0x3 != 1  # MPEG version not reserved
        and (b1 >> 1) & 0x3 in (1, 2)  # layer III or II (layer I is never sent; FF FE is a BOM)
        and (b2 >> 4) != 0xF  # bitrate index valid
        and (b2 >> 2) & 0x3 != 3  # sample rate valid
        and (b3 & 0x3) != 2  # emphasis not reserved
    )


_LEADING = [
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"%PDF-", "PDF"),
    (b"OggS", "OGG"),
]
_RIFF = {b"WEBP": "WEBP", b"WAVE": "WAV"}


def sniff(data: bytes) -> str | None:
    """The format name of `data` from its leading bytes: a key of _FORMATS, a forbidden
    format's name prefixed with "!", or None when unrecognised (maybe text)."""
    found = next((name for magic, name in _LEADING if data.startswith(magic)), None)
    if found is None and data[:4] == b"RIFF":
        found = _RIFF.get(data[8:12])
    if found is None:
        start = _id3_end(data)
        if data[start : start + 4] == b"fLaC":
            found = "FLAC"
        elif _is_mpeg_frame(data, start):
            found = "MP3"
    if found is None:
        found = next(("!" + name for magic, name in _FORBIDDEN if data.startswith(magic)), None)
    if found is None and _MARKUP_START.match(data[:1024].lstrip(b"\xef\xbb\xbf")):
        found = "!HTML/SVG/XML"
    return found


# --- Display names (F6) -------------------------------------------------------------------

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)
_UNSAFE_CHARS = re.compile(r'[/\\:*?"<>|%]')


def sanitize_display_name(name: str | None, *, extension: str = "") -> str:
    """A name safe to show and to offer as a download name: no path, no control or bidi
    characters, no reserved device name, at most 100 characters. With `extension`, the user's
    extension is replaced by ours (the format we found), so "photo.jpg.php" shows as
    "photo.jpg.jpg" and "x\u202egpj.exe" as "xgpj.jpg" (F6)."""
    name = str(name or "").replace("\x00", "")
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    )
    name = _UNSAFE_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension:
        ext = extension
    ext = ext.strip(" .")[:10].strip(" .")
    stem = stem.strip(" .")
    if _RESERVED.match(stem.split(".")[0]) if stem else False:
        stem = "_" + stem
    room = MAX_DISPLAY_NAME - (len(ext) + 1 if ext else 0)
    stem = stem[:room].strip(" .") or "file"
    if _RESERVED.match(stem.split(".")[0]):
        stem = "_" + stem[: room - 1]
    return f"{stem}.{ext}" if ext else stem


# --- Reading ------------------------------------------------------------------------------


def read_limited(upload, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of the upload (F1: never read a huge file to refuse it)."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise refuse("too_large", limit=_human_size(max_bytes))
    if hasattr(upload, "seek"):
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    parts = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = upload.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        parts.append(chunk)
        remaining -= len(chunk)
    data = b"".join(parts)
    if len(data) > max_bytes:
        raise refuse("too_large", limit=_human_size(max_bytes))
    return data


# --- Inspection ---------------------------------------------------------------------------


def inspect_upload(upload, *, allowed: Iterable[Kind], limits: UploadLimits) -> InspectedUpload:
    """What the uploaded file is, by its content only; raises ValidationError with a specific,
    translatable message when it is not acceptable here (F1). Reads at most max_bytes + 1."""
    allowed = [Kind(kind) for kind in allowed]
    accepted = _accepted(allowed)
    data = read_limited(upload, limits.max_bytes)
    if not data:
        raise refuse("empty")
    if _EICAR_MARKER in data:
        raise refuse("malware")
    found = sniff(data)
    if found is None and Kind.TEXT in allowed:
        found = "TEXT"
    if found is None:
        raise refuse("unrecognised", accepted=accepted)
    if found.startswith("!"):
        raise refuse("forbidden_type", found=found[1:], accepted=accepted)
    kind, mime, extension = _FORMATS[found]
    if kind not in allowed:
        raise refuse("not_allowed", found=kind.label, accepted=accepted)
    width = height = seconds = None
    if kind == Kind.TEXT:
        _check_text(data, limits)
    else:
        if _MARKUP.search(data):
            raise refuse("markup", accepted=accepted)
        if kind == Kind.IMAGE:
            width, height = _check_image(data, found, limits)
        elif kind == Kind.AUDIO:
            seconds = _check_audio(data, found, limits)
        else:
            _check_pdf(data, limits)
    return InspectedUpload(
        kind=kind,
        mime=mime,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
        seconds=seconds,
        display_name=sanitize_display_name(getattr(upload, "name", ""), extension=extension),
    )


# --- Images -------------------------------------------------------------------------------


def _jpeg_metadata_bytes(data: bytes) -> int:
    total, at = 0, 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn (EXIF, XMP, ICC, IPTC), comment
            total += length
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        at += 2 + length
    return total


def _png_metadata_bytes(data: bytes) -> int:
    total, at = 0, 8
    while at + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[at : at + 8])
        if ctype in (b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf"):
            total += length
        if ctype == b"IEND":
            break
        at += 12 + length
    return total


def _webp_metadata_bytes(data: bytes) -> int:
    total, at = 0, 12
    while at + 8 <= len(data):
        ctype, length = struct.unpack("<4sI", data[at : at + 8])
        if ctype in (b"EXIF", b"XMP ", b"ICCP"):
            total += length
        at += 8 + length + (length & 1)
    return total


_METADATA_BYTES = {
    "JPEG": _jpeg_metadata_bytes,
    "PNG": _png_metadata_bytes,
    "WEBP": _webp_metadata_bytes,
}


def _open_image(data: bytes, limits: UploadLimits):
    """Open (header only) and check the size before any pixel is decoded."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
        except Image.DecompressionBombError as error:
            raise refuse(
                "image_too_many_pixels",
                pixels="> " + f"{limits.max_pixels:,}",
                limit=f"{limits.max_pixels:,}",
            ) from error
        except OSError as error:
            if "truncat" in str(error).lower():
                raise refuse("image_truncated") from error
            raise refuse("image_invalid") from error
        except (ValueError, SyntaxError, struct.error, Image.DecompressionBombWarning) as error:
            raise refuse("image_invalid") from error
    width, height = image.size
    if width < 1 or height < 1:
        raise refuse("image_invalid")
    if width > limits.max_side or height > limits.max_side:
        raise refuse("image_too_wide", width=width, height=height, limit=limits.max_side)
    if width * height > limits.max_pixels:
        raise refuse(
            "image_too_many_pixels", pixels=f"{width * height:,}", limit=f"{limits.max_pixels:,}"
        )
    return image


def _check_image(data: bytes, fmt: str, limits: UploadLimits) -> tuple[int, int]:
    from PIL import Image

    try:
        if _METADATA_BYTES[fmt](data) > MAX_METADATA_BYTES:
            raise refuse("image_metadata")
    except struct.error as error:
        raise refuse("image_invalid") from error
    image = _open_image(data, limits)
    if image.format != fmt:
        raise refuse("image_invalid")
    size = image.size
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except OSError as error:
            if "truncat" in str(error).lower():
                raise refuse("image_truncated") from error
            raise refuse("image_invalid") from error
        except (
            ValueError,
            SyntaxError,
            struct.error,
            EOFError,
            Image.DecompressionBombWarning,
        ) as error:
            raise refuse("image_invalid") from error
        finally:
            image.close()
    return size


def _to_srgb(image):
    """An RGB or RGBA image in sRGB, whatever the mode (CMYK, 16-bit, palette, grey) and ICC
    profile of the original."""
    from PIL import ImageCms

    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit (or 32-bit) grey: scale to 8 bits instead of clipping at 255.
        high = 65535 if image.mode.startswith("I;16") else max(image.getextrema()[1], 1)
        image = image.convert("I").point(lambda v: v * (255 / high)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            if image.mode in ("CMYK", "RGB", "L") or (image.mode == "RGBA"):
                mode = "RGBA" if image.mode == "RGBA" else "RGB"
                converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    if image.mode == "CMYK" and not icc:
        # Adobe writes inverted CMYK JPEGs; Pillow already undoes that on decode.
        return image.convert("RGB")
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode_image(image, size: int, fmt: str) -> bytes:
    from PIL import Image

    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    # Rebuild from raw pixels: nothing of the original's info (EXIF, XMP, ICC, text) survives.
    clean = Image.frombytes(copy.mode, copy.size, copy.tobytes())
    if fmt == "JPEG" and clean.mode == "RGBA":
        background = Image.new("RGB", clean.size, (255, 255, 255))
        background.paste(clean, mask=clean.getchannel("A"))
        clean = background
    out = io.BytesIO()
    if fmt == "WEBP":
        clean.save(out, "WEBP", quality=85, method=4)
    else:
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def image_derivatives(
    data: bytes,
    *,
    display_size: int = DISPLAY_SIZE,
    thumb_size: int = THUMB_SIZE,
    fmt: str = "WEBP",
    limits: UploadLimits = IMAGE_LIMITS,
) -> dict[str, tuple[bytes, str]]:
    """{"display": (bytes, mime), "thumb": (bytes, mime)}: the image re-encoded as WebP (or
    JPEG) with EXIF orientation applied, converted to sRGB, at most `display_size` and
    `thumb_size` pixels a side, with no metadata at all (F3, P-09). Raises ValidationError when
    the image cannot be decoded or re-encoded."""
    from PIL import Image, ImageOps

    mime = "image/webp" if fmt == "WEBP" else "image/jpeg"
    image = _open_image(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image) or image
            rgb = _to_srgb(image)
            return {
                "display": (_encode_image(rgb, display_size, fmt), mime),
                "thumb": (_encode_image(rgb, thumb_size, fmt), mime),
            }
    except ValidationError:
        raise
    except Exception as error:  # any decoder failure means: cannot be re-encoded (P-09)
        raise refuse("reencode_failed", accepted=Kind.IMAGE.label) from error


# --- Audio --------------------------------------------------------------------------------


def _check_wav_structure(data: bytes) -> None:
    """RIFF sizes must match the file: a header that promises more (or other) data than the
    file holds is refused."""
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 not in (len(data), len(data) - 1) and riff_size + 8 > len(data):
        raise refuse("audio_lying_header")
    at = 12
    fmt = None
    data_size = None
    while at + 8 <= len(data):
        ctype, length = struct.unpack("<4sI", data[at : at + 8])
        if at + 8 + length > len(data):
            raise refuse("audio_lying_header")
        if ctype == b"fmt ":
            fmt = data[at + 8 : at + 8 + length]
        elif ctype == b"data":
            data_size = length
        at += 8 + length + (length & 1)
    if fmt is None or data_size is None or len(fmt) < 16:
        raise refuse("audio_lying_header")
    tag, channels, rate, byte_rate, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if channels == 0 or rate == 0 or bits == 0 or align == 0:
        raise refuse("audio_lying_header")
    if tag == 1 and (align != channels * ((bits + 7) // 8) or byte_rate != rate * align):
        raise refuse("audio_lying_header")


_MUTAGEN_TYPES = {
    "MP3": ("MP3",),
    "WAV": ("WAVE",),
    "FLAC": ("FLAC",),
    "OGG": ("OggVorbis", "OggOpus", "OggFLAC"),
}


def _audio_metadata_bytes(data: bytes) -> int:
    """Bytes of a leading ID3v2 tag plus FLAC metadata blocks other than STREAMINFO and
    SEEKTABLE (comments, pictures, padding, application data)."""
    total = _id3_end(data)
    at = total
    if data[at : at + 4] == b"fLaC":
        at += 4
        while at + 4 <= len(data):
            header = data[at]
            length = int.from_bytes(data[at + 1 : at + 4], "big")
            if header & 0x7F not in (0, 3):
                total += length
            at += 4 + length
            if header & 0x80:  # last metadata block
                break
    return total


def _check_audio(data: bytes, fmt: str, limits: UploadLimits) -> float:
    import mutagen

    if _audio_metadata_bytes(data) > MAX_METADATA_BYTES:
        raise refuse("audio_metadata")
    if fmt == "WAV":
        _check_wav_structure(data)
    try:
        info = mutagen.File(io.BytesIO(data))
    except Exception as error:  # mutagen raises many types for damaged files
        raise refuse("audio_invalid") from error
    if info is None or type(info).__name__ not in _MUTAGEN_TYPES[fmt] or info.info is None:
        raise refuse("audio_invalid")
    claimed = float(getattr(info.info, "length", 0) or 0)
    if claimed <= 0:
        raise refuse("audio_invalid")
    if claimed > limits.max_seconds:
        raise refuse("audio_too_long", seconds=round(claimed), limit=round(limits.max_seconds))
    decoded = _decoded_seconds(data, limits)
    if decoded > limits.max_seconds + 1:
        raise refuse("audio_lying_header")
    if decoded <= 0 or abs(decoded - claimed) > max(1.0, claimed * 0.05):
        raise refuse("audio_lying_header")
    return round(decoded, 3)


def _decoded_seconds(data: bytes, limits: UploadLimits) -> float:
    """Decode it all (in blocks, so memory stays small): what plays must match what the
    header claims. Stops a little after the duration limit."""
    import soundfile

    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            if sound.channels > MAX_AUDIO_CHANNELS:
                raise refuse("audio_channels", channels=sound.channels, limit=MAX_AUDIO_CHANNELS)
            rate = sound.samplerate
            frames = 0
            budget = int(rate * (limits.max_seconds + 2))
            while frames <= budget:
                block = sound.read(65536, dtype="int16")
                if not len(block):
                    break
                frames += len(block)
    except ValidationError:
        raise
    except Exception as error:  # libsndfile errors (RuntimeError, LibsndfileError, ...)
        raise refuse("audio_invalid") from error
    return frames / rate if rate else 0


def _strip_ogg_tags(data: bytes) -> bytes:
    """libsndfile writes an "encoder" comment: remove every tag, keep only the stream."""
    import mutagen

    buffer = io.BytesIO(data)
    tagged = mutagen.File(buffer)
    if tagged is not None and tagged.tags is not None and len(tagged.tags):
        buffer.seek(0)
        tagged.delete(buffer)
    return buffer.getvalue()


def audio_derivative(data: bytes, *, max_seconds: float = 300) -> tuple[bytes, str]:
    """(bytes, mime): the audio decoded and re-encoded as Ogg Vorbis (FLAC when Vorbis cannot
    take the stream), at most `max_seconds` long, with no tags, cover art or comments (F3).
    Raises ValidationError when it cannot be decoded or re-encoded (P-09)."""
    import soundfile

    for fmt, subtype, mime in (("OGG", "VORBIS", "audio/ogg"), ("FLAC", "PCM_16", "audio/flac")):
        try:
            with soundfile.SoundFile(io.BytesIO(data)) as source:
                if source.channels > MAX_AUDIO_CHANNELS:
                    raise refuse(
                        "audio_channels", channels=source.channels, limit=MAX_AUDIO_CHANNELS
                    )
                remaining = int(source.samplerate * max_seconds)
                out = io.BytesIO()
                with soundfile.SoundFile(
                    out,
                    "w",
                    samplerate=source.samplerate,
                    channels=source.channels,
                    format=fmt,
                    subtype=subtype,
                ) as target:
                    written = 0
                    while remaining > 0:
                        block = source.read(min(65536, remaining), dtype="float32", always_2d=True)
                        if not len(block):
                            break
                        target.write(block)
                        remaining -= len(block)
                        written += len(block)
            if written == 0:
                raise refuse("audio_invalid")
            return _strip_ogg_tags(out.getvalue()), mime
        except ValidationError:
            raise
        except Exception as error:
            last_error = error
            continue
    raise refuse("reencode_failed", accepted=Kind.AUDIO.label) from last_error


# --- PDF ----------------------------------------------------------------------------------

_PDF_FORBIDDEN = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/AA",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
}
# Raw names, including #xx-escaped spellings, anywhere outside compressed streams.
_PDF_RAW = re.compile(
    rb"/(JavaScript|JS|OpenAction|Launch|EmbeddedFiles?|AA|RichMedia|XFA|SubmitForm|ImportData)"
    rb"(?=[\s/<>\[\]()%{}]|$)"
)
_PDF_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}]*")


def _pdf_unescape(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)


def _forbidden_in(obj, found: set[str], depth: int = 0) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if depth > 100:
        raise refuse("pdf_too_complex")
    if isinstance(obj, IndirectObject):
        return  # every indirect object is visited on its own
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in _PDF_FORBIDDEN:
                found.add(key)
            if isinstance(value, NameObject) and value in _PDF_FORBIDDEN:
                found.add(str(value))
            _forbidden_in(value, found, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if isinstance(value, NameObject) and value in _PDF_FORBIDDEN:
                found.add(str(value))
            _forbidden_in(value, found, depth + 1)


def _open_pdf(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                raise refuse("pdf_encrypted")
            return reader
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
    ) as error:
        raise refuse("pdf_invalid") from error
    except RecursionError as error:
        raise refuse("pdf_too_complex") from error


def _pdf_object_refs(reader) -> list:
    from pypdf.generic import IndirectObject

    refs = []
    for generation, table in reader.xref.items():
        refs.extend(IndirectObject(number, generation, reader) for number in table)
    refs.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    return refs


def _scan_pdf(reader) -> set[str]:
    """Every forbidden name used as a key, type or action anywhere in the document, including
    inside compressed object streams."""
    from pypdf.errors import PyPdfError

    found: set[str] = set()
    refs = _pdf_object_refs(reader)
    if len(refs) > MAX_PDF_OBJECTS:
        raise refuse("pdf_too_complex")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _forbidden_in(reader.trailer, found)
            for ref in refs:
                obj = ref.get_object()
                _forbidden_in(obj, found)
    except ValidationError:
        raise
    except PyPdfError as error:
        if type(error).__name__ == "LimitReachedError":
            raise refuse("pdf_too_complex") from error
        raise refuse("pdf_invalid") from error
    except RecursionError as error:
        raise refuse("pdf_too_complex") from error
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        raise refuse("pdf_invalid") from error
    return found


def _check_pdf(data: bytes, limits: UploadLimits) -> None:
    raw = set()
    for match in _PDF_RAW.finditer(data):
        raw.add("/" + match.group(1).decode())
    for match in _PDF_ESCAPED_NAME.finditer(data):
        name = _pdf_unescape(match.group(0)).decode("latin-1")
        if name in _PDF_FORBIDDEN:
            raw.add(name)
    if raw:
        raise refuse("pdf_active_content", what=", ".join(sorted(raw)))
    reader = _open_pdf(data)
    found = _scan_pdf(reader)
    if found:
        raise refuse("pdf_active_content", what=", ".join(sorted(found)))
    try:
        pages = len(reader.pages)
    except Exception as error:
        raise refuse("pdf_invalid") from error
    if pages < 1:
        raise refuse("pdf_invalid")
    if pages > limits.max_pages:
        raise refuse("pdf_too_many_pages", pages=pages, limit=limits.max_pages)


_PAGE_KEYS_DROPPED = ("/Annots", "/AA", "/Metadata", "/PieceInfo", "/B", "/StructParents")
_ANY_KEYS_DROPPED = (
    "/Metadata",
    "/PieceInfo",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EmbeddedFiles",
    "/Launch",
)


def pdf_derivative(data: bytes, *, max_pages: int = 50) -> tuple[bytes, str]:
    """(bytes, "application/pdf"): the pages copied into a fresh document without the Info
    dictionary, XMP, scripts, actions, annotations, forms or attachments (F3, P-09)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    reader = _open_pdf(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            writer = PdfWriter()
            for number, page in enumerate(reader.pages):
                if number >= max_pages:
                    break
                added = writer.add_page(page)
                for key in _PAGE_KEYS_DROPPED:
                    added.pop(NameObject(key), None)
            for obj in writer._objects:
                if isinstance(obj, DictionaryObject):
                    for key in _ANY_KEYS_DROPPED:
                        obj.pop(NameObject(key), None)
            for key in ("/Names", "/AcroForm", "/OpenAction", "/AA", "/Metadata", "/Outlines"):
                writer._root_object.pop(NameObject(key), None)
            writer._info = None
            out = io.BytesIO()
            writer.write(out)
    except ValidationError:
        raise
    except Exception as error:
        raise refuse("reencode_failed", accepted=Kind.PDF.label) from error
    result = out.getvalue()
    check = _open_pdf(result)
    if _scan_pdf(check) or check.metadata:
        raise refuse("reencode_failed", accepted=Kind.PDF.label)
    return result, "application/pdf"


# --- Quotas (F7) --------------------------------------------------------------------------


def check_quota(
    *, files: int, total_bytes: int, adding_bytes: int, max_files: int, max_total_bytes: int
) -> None:
    """Refuse one more file when the owner (an entry, an application) already holds
    `max_files` files or the new one would take its total over `max_total_bytes`."""
    if files + 1 > max_files:
        raise refuse("quota_files", limit=max_files)
    if total_bytes + adding_bytes > max_total_bytes:
        raise refuse("quota_bytes", limit=_human_size(max_total_bytes))


# --- Text ---------------------------------------------------------------------------------


def _check_text(data: bytes, limits: UploadLimits) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse("text_utf16")
    if b"\x00" in data:
        # ASCII text saved as UTF-16 without a BOM is every other byte NUL.
        if data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4:
            raise refuse("text_utf16")
        raise refuse("text_nul")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise refuse("text_encoding", line=line) from error
    if _MARKUP.search(body):
        raise refuse("markup", accepted=Kind.TEXT.label)
    if limits.max_lines is not None:
        lines = len(text.splitlines())
        if lines > limits.max_lines:
            raise refuse("text_too_many_lines", lines=lines, limit=limits.max_lines)
    if limits.max_words is not None:
        words = len(text.split())
        if words > limits.max_words:
            raise refuse("text_too_many_words", words=words, limit=limits.max_words)
    return text


def decode_text(data: bytes, *, limits: UploadLimits = TEXT_LIMITS) -> str:
    """The text of an inspected plain-text upload, normalised (see `text_derivative`)."""
    return text_derivative(_check_text(data, limits))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_derivative(text: str) -> str:
    """The text normalised to NFC, line ends as \\n, control characters (other than tab and
    newline) removed."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)
