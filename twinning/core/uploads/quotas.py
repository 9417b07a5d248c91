"""Quotas (UPL-7): how much one owner may store."""

from __future__ import annotations

from twinning.core.uploads.policy import _human_size, refuse


def check_quota(
    *, files: int, total_bytes: int, adding_bytes: int, max_files: int, max_total_bytes: int
) -> None:
    """Refuse one more file when the owner (an entry, an application) already holds
    `max_files` files or the new one would take its total over `max_total_bytes`."""
    if files + 1 > max_files:
        raise refuse("quota_files", limit=max_files)
    if total_bytes + adding_bytes > max_total_bytes:
        raise refuse("quota_bytes", limit=_human_size(max_total_bytes))
