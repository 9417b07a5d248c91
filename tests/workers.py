"""Real task workers for the tests (DUR-4): `manage.py db_worker` started as a subprocess on the
test database (the SQLite test file, or the PostgreSQL test database), with private media in a
directory both processes see. The test process enqueues on the database backend too
(`database_tasks`), so what the worker runs is what the test enqueued."""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django_tasks import task_backends

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for the worker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


@contextmanager
def database_tasks(django_settings: Any, private_root: Path | None = None) -> Iterator[None]:
    """Tasks enqueued on the database backend, private media in `private_root` on disk."""
    django_settings.TASKS = DB_TASKS
    if private_root is not None:
        django_settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "twinning.core.media.PrivateFileSystemStorage",
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
        }
    task_backends.__dict__.pop("backends", None)
    try:
        yield
    finally:
        task_backends.__dict__.pop("backends", None)


def start_worker(
    tmp_path: Path, private_root: Path, worker_id: str, *args: str, lease_seconds: int = 1
) -> subprocess.Popen:
    """`manage.py db_worker` in its own process, as `make worker` starts it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "twinning.settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "DJANGO_DEBUG": "True",  # the development secret key; nothing is served
        "MEDIA_STORAGE": "local",
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TWINNING_VAR_DIR": str(tmp_path / "var"),
        "TASK_LEASE_SECONDS": str(lease_seconds),
    }
    with (tmp_path / f"worker-{worker_id}.log").open("wb") as log:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--skip-checks",
                "--no-startup-delay",
                "--interval=0.1",
                f"--worker-id={worker_id}",
                *args,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def worker_log(tmp_path: Path, worker_id: str) -> str:
    return (tmp_path / f"worker-{worker_id}.log").read_text(errors="replace")


def wait_for(condition: Callable[[], Any], *, timeout: float = 30, what: str = "") -> Any:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
