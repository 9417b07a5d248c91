"""Where uploaded files live and how they are served (UPL-4 to UPL-6).

* `private_storage` is `STORAGES["private"]`: under `settings.PRIVATE_MEDIA_ROOT`, outside any
  served directory, or a private S3 bucket (twinning/core/s3.py). Its files have no URL and are
  reached only through a view that checks permission and answers with `media_response`.
* `store_bytes` names every file with a fresh UUID: no character of the user's file name ever
  reaches a storage path (UPL-6).
* `store_upload` is the whole pipeline for a form field: inspect, rebuild the derivatives,
  store them; when anything fails nothing is left in storage.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty

from twinning.core.uploads import (
    InspectedUpload,
    Kind,
    UploadLimits,
    audio_derivative,
    decode_text,
    image_derivatives,
    inspect_upload,
    office_derivative,
    pdf_derivative,
    read_limited,
    sanitize_display_name,
)


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without URLs: private files are only ever served by a view that
    checks permission (UPL-5), so asking for a URL is a programming error."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them with media_response()")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


# STORAGES["private"]: a FileSystemStorage under PRIVATE_MEDIA_ROOT, with no base URL, or a
# private S3 bucket (MEDIA_STORAGE=s3).
private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: object) -> None:
    """Tests that switch STORAGES (to the S3 server) get the new private storage, as Django
    does for default_storage."""
    if setting == "STORAGES":
        private_storage._wrapped = empty


_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")
_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")
# What a browser may show in place; everything else is downloaded (UPL-4).
_INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "audio/")
MEDIA_CSP = "default-src 'none'; sandbox"
_EXTENSIONS = {
    "image/webp": "webp",
    "image/jpeg": "jpg",
    "audio/ogg": "ogg",
    "audio/flac": "flac",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "image/png": "png",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def store_bytes(data: bytes, *, extension: str, storage=private_storage, folder: str = "") -> str:
    """Save `data` under a new UUID name (`<folder>/<uuid hex>.<extension>`) and return the
    name. The extension and folder are ours (from `InspectedUpload`), never the user's."""
    if not _EXTENSION.match(extension):
        raise ValueError(f"extension must be a short lowercase word, not {extension!r}")
    folder = folder.strip("/")
    if folder and not _FOLDER.match(folder):
        raise ValueError(f"folder must be lowercase words separated by '/', not {folder!r}")
    name = f"{uuid.uuid4().hex}.{extension}"
    if folder:
        name = f"{folder}/{name}"
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # a storage that renamed our UUID: should never happen
        storage.delete(saved)
        raise RuntimeError("storage changed a generated name")
    return saved


def _content_disposition(download_name: str, *, content_type: str, inline: bool) -> str:
    """RFC 6266: a plain ASCII fallback and the exact UTF-8 name in filename*. The extension
    is always the one of the type we serve, whatever the name said."""
    extension = _EXTENSIONS.get(content_type.split(";", maxsplit=1)[0].strip(), "")
    name = sanitize_display_name(download_name, extension=extension)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = ascii_name.replace('"', "").replace("\\", "")
    fallback = fallback.strip() or "download"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def media_response(
    storage,
    name: str,
    *,
    content_type: str,
    download_name: str,
    inline: bool,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """Serve one stored file with the UPL-4 headers: `nosniff`, `CSP: default-src 'none';
    sandbox`, our stored content type, and Content-Disposition with an RFC 6266 filename*.
    `inline` is honoured only for images and audio; PDF, text and anything else is always an
    attachment. Cache-Control defaults to "private, no-store" (HDR-4); pass another value for
    published media. A missing file is a 404. From S3 the object is streamed in chunks
    (`open_stream`), never read whole into memory."""
    open_stream = getattr(storage, "open_stream", None)
    try:
        handle, size = open_stream(name) if open_stream else (storage.open(name, "rb"), None)
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    inline = inline and content_type.startswith(_INLINE_TYPES)
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type = f"{content_type}; charset=utf-8"
    response = FileResponse(handle, content_type=content_type)
    if size is not None:
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = _content_disposition(
        download_name, content_type=content_type, inline=inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = cache_control
    response["Referrer-Policy"] = "no-referrer"
    return response


@dataclass(frozen=True)
class StoredFile:
    name: str  # storage name (UUID)
    mime: str
    size: int


@dataclass(frozen=True)
class StoredUpload:
    inspected: InspectedUpload
    # "display" and "thumb" for images, "audio", "document" (PDF, DOCX, XLSX) or "text".
    files: dict[str, StoredFile]
    text: str | None = None  # the normalised text of a plain-text upload


def store_upload(
    upload,
    *,
    allowed: Iterable[Kind],
    limits: UploadLimits,
    storage=private_storage,
    folder: str = "",
) -> StoredUpload:
    """Inspect an upload, rebuild its derivatives and store them under UUID names; the
    original is never stored (PRIV-9). Raises ValidationError (nothing stored) when the file is
    refused or cannot be re-encoded. The caller deletes the files (`delete_stored`) if its
    own transaction fails."""
    inspected = inspect_upload(upload, allowed=allowed, limits=limits)
    data = read_limited(upload, limits.max_bytes)
    text = None
    if inspected.kind == Kind.IMAGE:
        derived = image_derivatives(data, limits=limits)
    elif inspected.kind == Kind.AUDIO:
        derived = {"audio": audio_derivative(data, max_seconds=limits.max_seconds)}
    elif inspected.kind == Kind.PDF:
        derived = {"document": pdf_derivative(data, max_pages=limits.max_pages)}
    elif inspected.kind in (Kind.DOCX, Kind.XLSX):
        derived = {"document": office_derivative(data, inspected.extension.upper())}
    else:
        text = decode_text(data, limits=limits)
        derived = {"text": (text.encode("utf-8"), "text/plain")}
    files: dict[str, StoredFile] = {}
    try:
        for role, (content, mime) in derived.items():
            name = store_bytes(content, extension=_EXTENSIONS[mime], storage=storage, folder=folder)
            files[role] = StoredFile(name=name, mime=mime, size=len(content))
    except Exception:
        delete_stored(storage, [f.name for f in files.values()])
        raise
    return StoredUpload(inspected=inspected, files=files, text=text)


def delete_stored(storage, names: Iterable[str]) -> None:
    """Delete stored files, ignoring those already gone (erasure, rollback clean-up)."""
    for name in names:
        if name:
            storage.delete(name)


__all__ = [
    "MEDIA_CSP",
    "StoredFile",
    "StoredUpload",
    "ValidationError",
    "delete_stored",
    "media_response",
    "private_storage",
    "store_bytes",
    "store_upload",
]
