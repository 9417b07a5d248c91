"""Inspection (UPL-1): the one entry point that decides whether a file is accepted here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from twinning.core.uploads.audio import _check_audio
from twinning.core.uploads.images import _check_image
from twinning.core.uploads.names import sanitize_display_name
from twinning.core.uploads.office import _check_office
from twinning.core.uploads.pdf import _check_pdf
from twinning.core.uploads.policy import InspectedUpload, Kind, UploadLimits, _accepted, refuse
from twinning.core.uploads.reading import read_limited
from twinning.core.uploads.sniffing import _EICAR_MARKER, _FORMATS, _MARKUP, sniff
from twinning.core.uploads.text import _check_text


def _check_kind(
    data: bytes, found: str, kind: Kind, limits: UploadLimits
) -> tuple[int | None, int | None, float | None]:
    """The checks of one kind; (width, height) of an image, seconds of a recording."""
    if kind == Kind.TEXT:
        _check_text(data, limits)
    elif kind == Kind.IMAGE:
        width, height = _check_image(data, found, limits)
        return width, height, None
    elif kind == Kind.AUDIO:
        return None, None, _check_audio(data, found, limits)
    elif kind in (Kind.DOCX, Kind.XLSX):
        _check_office(data, found)
    else:
        _check_pdf(data, limits)
    return None, None, None


def inspect_upload(upload, *, allowed: Iterable[Kind], limits: UploadLimits) -> InspectedUpload:
    """What the uploaded file is, by its content only; raises ValidationError with a specific,
    translatable message when it is not acceptable here (UPL-1). Reads at most max_bytes + 1."""
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
    if kind != Kind.TEXT and _MARKUP.search(data):
        raise refuse("markup", accepted=accepted)
    width, height, seconds = _check_kind(data, found, kind, limits)
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
