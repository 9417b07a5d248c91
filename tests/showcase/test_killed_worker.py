"""DUR-4 with real workers: a derivative task whose worker is killed (SIGKILL) mid-task is
found by the sweep and run again by a new worker, or, after its last attempt, failed visibly;
staff can then have the work prepared again. The task is held mid-task by its own input: the
stored original is swapped for a named pipe, so the worker blocks reading it, inside
`make_derivatives`, until the test has killed it."""

import errno
import os
import signal
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.showcase.media import png_bytes, upload
from tests.workers import database_tasks, start_worker, wait_for, worker_log
from twinning.core.leases import sweep_expired_tasks
from twinning.core.models import TaskLease
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.services import attach_work, create_entry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_root(tmp_path, settings):
    root = tmp_path / "private"
    root.mkdir()
    with database_tasks(settings, root):
        yield root


def _entry_being_prepared(student, edition) -> tuple[Entry, bytes]:
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title="Harbour at dawn",
        alt_text="Boats in the mist",
        by=student.user,
    )
    original = png_bytes()
    attach_work(entry=entry, upload=upload(original, "harbour.png"), by=student.user)
    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.PROCESSING
    return entry, original


def _block_on_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _wait_for_reader(path: Path) -> int:
    """Open the pipe's writing end once the worker is reading it (then it is mid-task); the
    worker stays blocked while this end is open and nothing is written."""

    def writer() -> int | None:
        try:
            return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno == errno.ENXIO:  # no reader yet
                return None
            raise

    return wait_for(writer, timeout=60, what="the worker to read the work's original")


def _kill_mid_task(tmp_path, private_root, entry: Entry) -> DBTaskResult:
    """Start a real worker, let it take the derivative task and block in it, SIGKILL it."""
    work_file = EntryFile.objects.get(entry=entry)
    original = private_root / work_file.original_name
    _block_on_pipe(original)
    worker = start_worker(tmp_path, private_root, "doomed")
    try:
        pipe = _wait_for_reader(original)
        task = DBTaskResult.objects.get(task_path__endswith=".make_derivatives_task")
        assert task.status == TaskResultStatus.RUNNING
        assert TaskLease.objects.get(task=task).pid == worker.pid
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
            worker.wait()
    os.close(pipe)
    return task


def _restore(private_root: Path, entry: Entry, original: bytes) -> None:
    path = private_root / EntryFile.objects.get(entry=entry).original_name
    path.unlink()
    path.write_bytes(original)


def _sweep_when_lease_lapses():
    def swept():
        result = sweep_expired_tasks()
        return result if result.retried or result.failed else None

    return wait_for(swept, timeout=10, what="the dead worker's lease to lapse")


def _run_worker_until_idle(tmp_path, private_root, worker_id: str) -> None:
    worker = start_worker(tmp_path, private_root, worker_id, "--batch")
    try:
        assert worker.wait(timeout=60) == 0, worker_log(tmp_path, worker_id)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_a_killed_worker_s_task_is_run_again_by_a_new_worker(  # noqa: PLR0917 - pytest fixtures
    tmp_path, private_root, student, edition, student_client, staff
):
    entry, original = _entry_being_prepared(student, edition)
    task = _kill_mid_task(tmp_path, private_root, entry)

    # Without the sweep, the task would stay running and the entry "being prepared" forever.
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    entry_page = reverse("showcase:entry_detail", kwargs={"entry_id": entry.pk})
    assert "Your file is being prepared" in student_client.get(entry_page).content.decode()

    _restore(private_root, entry, original)
    swept = _sweep_when_lease_lapses()
    assert (swept.retried, swept.failed) == ([str(task.pk)], [])
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert not TaskLease.objects.exists()

    _run_worker_until_idle(tmp_path, private_root, "rescuer")

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["doomed", "rescuer"]
    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.READY
    student_page = student_client.get(entry_page).content.decode()
    assert "being prepared" not in student_page
    assert "could not be prepared" not in student_page
    staff_page = staff.get(
        reverse("showcase:staff_entry_detail", kwargs={"entry_id": entry.pk})
    ).content.decode()
    assert "Ready" in staff_page
    assert "Prepare the work again" not in staff_page


def test_a_task_killed_on_its_last_attempt_fails_visibly_and_staff_prepare_it_again(  # noqa: PLR0917 - pytest fixtures
    tmp_path, private_root, settings, student, edition, student_client, staff
):
    settings.TWINNING_TASK_MAX_ATTEMPTS = 1
    entry, original = _entry_being_prepared(student, edition)
    task = _kill_mid_task(tmp_path, private_root, entry)
    _restore(private_root, entry, original)

    swept = _sweep_when_lease_lapses()

    assert (swept.retried, swept.failed) == ([], [str(task.pk)])
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "twinning.core.leases.WorkerLost"
    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.FAILED
    # The student sees the failure, not "being prepared".
    student_page = student_client.get(
        reverse("showcase:entry_detail", kwargs={"entry_id": entry.pk})
    ).content.decode()
    assert "Your file could not be prepared" in student_page
    assert "being prepared" not in student_page
    # Staff see it on the entry, with the reason and a way out, and in the back office.
    staff_url = reverse("showcase:staff_entry_detail", kwargs={"entry_id": entry.pk})
    staff_page = staff.get(staff_url).content.decode()
    assert "Could not be prepared" in staff_page
    assert "Preparing the file was interrupted" in staff_page
    assert "Prepare the work again" in staff_page
    failed_tasks = staff.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status__exact": "FAILED"}
    ).content.decode()
    assert "make_derivatives_task" in failed_tasks

    response = staff.post(
        reverse("showcase:staff_entry_prepare_again", kwargs={"entry_id": entry.pk}), follow=True
    )
    assert "The work is being prepared again." in response.content.decode()
    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.PROCESSING

    _run_worker_until_idle(tmp_path, private_root, "second")

    entry.refresh_from_db()
    assert entry.media_status == Entry.MediaStatus.READY
    assert "Ready" in staff.get(staff_url).content.decode()
    assert not TaskLease.objects.exists()
