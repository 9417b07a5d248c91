"""Sniffing by content: what a file is, from its first bytes alone (never its name)."""

from __future__ import annotations

import re

from twinning.core.uploads.office import OFFICE_MIMES, office_format
from twinning.core.uploads.policy import Kind

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
    "DOCX": (Kind.DOCX, OFFICE_MIMES["DOCX"], "docx"),
    "XLSX": (Kind.XLSX, OFFICE_MIMES["XLSX"], "xlsx"),
}
# Formats recognised only to be refused by name (UPL-0 "never").
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
    (b"\xd0\xcf\x11\xe0", "Old-format or password-protected Office"),
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
    if found is None and data.startswith(b"PK\x03\x04"):
        found = office_format(data)  # any other ZIP is refused below
    if found is None:
        found = next(("!" + name for magic, name in _FORBIDDEN if data.startswith(magic)), None)
    if found is None and _MARKUP_START.match(data[:1024].lstrip(b"\xef\xbb\xbf")):
        found = "!HTML/SVG/XML"
    return found
