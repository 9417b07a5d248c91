"""Reading an upload without ever holding more than the limit allows."""

from __future__ import annotations

import contextlib

from twinning.core.uploads.policy import _human_size, refuse


def read_limited(upload, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of the upload (UPL-1: never read a huge file to refuse it)."""
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
