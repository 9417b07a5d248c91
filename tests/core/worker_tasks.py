"""A task for the lease tests' real workers: it runs until a file appears, so a test decides
when it ends (tests/core/test_leases.py)."""

import time
from pathlib import Path

from django_tasks import task


@task()
def wait_for_file_task(*, path: str) -> str:
    deadline = time.monotonic() + 30
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(path)
        time.sleep(0.05)
    return "done"
