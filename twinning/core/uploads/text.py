"""Plain text: UTF-8 only, and the derivative without control characters."""

from __future__ import annotations

import re
import unicodedata

from twinning.core.uploads.policy import TEXT_LIMITS, Kind, UploadLimits, refuse
from twinning.core.uploads.sniffing import _MARKUP


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
