"""The sweep for orphaned private files (docs/requirements.md DUR-2).

A service stores a file and then saves the row that names it, in one transaction; when its own
write fails it deletes what it stored. A process that dies in between (a killed worker, a
crash, a lost database connection) leaves a file that no row names. `sweep_orphans` finds
and deletes those, through the storage API only, so it works the same on the local disk and on
S3:

- each app registers the folders it stores private files in and a function returning every
  name its rows hold (`register_stored_files`, from its `AppConfig.ready()`); files in other
  folders are never looked at, so an app that forgot to register loses nothing;
- the folders are listed first and the references read after, and a file younger than the
  grace period (a day by default) is kept, so a file whose transaction is still running is
  never taken.

`manage.py sweep_media` runs it (daily in TWINNING_SCHEDULE).
"""

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from twinning.core.media import private_storage

logger = logging.getLogger(__name__)
GRACE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class StoredFiles:
    folders: tuple[str, ...]
    names: Callable[[], Iterable[str]]


_REGISTRY: dict[str, StoredFiles] = {}


def register_stored_files(
    label: str, *, folders: Iterable[str], names: Callable[[], Iterable[str]]
) -> None:
    """Declare that `folders` of private storage hold files named by `names()` (every name
    the app's rows hold, read when the sweep runs)."""
    _REGISTRY[label] = StoredFiles(tuple(f.strip("/") for f in folders), names)


def registered_folders() -> list[str]:
    return sorted({folder for entry in _REGISTRY.values() for folder in entry.folders})


def _walk(storage: Any, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def find_orphans(*, storage: Any = private_storage, grace: datetime.timedelta = GRACE) -> list[str]:
    """Names in the registered folders that no row names and that are older than `grace`."""
    stored = [name for folder in registered_folders() for name in _walk(storage, folder)]
    referenced = {name for entry in _REGISTRY.values() for name in entry.names() if name}
    cutoff = timezone.now() - grace
    return sorted(
        name
        for name in stored
        if name not in referenced and storage.get_modified_time(name) < cutoff
    )


def sweep_orphans(
    *, storage: Any = private_storage, grace: datetime.timedelta = GRACE, dry_run: bool = False
) -> list[str]:
    """Delete the orphans `find_orphans` returns (nothing with `dry_run`); returns them."""
    orphans = find_orphans(storage=storage, grace=grace)
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    logger.info(
        "media sweep: %d orphaned files %s", len(orphans), "found" if dry_run else "deleted"
    )
    return orphans
