"""Leases on running tasks (DUR-4): a live worker keeps renewing its task's lease, so the sweep
leaves it alone; a task whose worker died before or after taking its lease is queued again;
`sweep_tasks` runs from the scheduler. The killed-worker path, with the entry it leaves "being
prepared", is tests/showcase/test_killed_worker.py."""

import datetime
import signal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.core.worker_tasks import wait_for_file_task
from tests.workers import database_tasks, start_worker, wait_for, worker_log
from twinning.core.leases import sweep_expired_tasks
from twinning.core.models import TaskLease
from twinning.core.schedule import unknown_commands

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    with database_tasks(settings):
        yield


def _claimed_by_a_worker_that_died(tmp_path) -> DBTaskResult:
    """A task a worker claimed and then vanished with: RUNNING, and no lease."""
    result = wait_for_file_task.enqueue(path=str(tmp_path / "never"))
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim("vanished")  # what django-tasks-db's worker does when it takes a task
    return task


def test_a_live_worker_renews_its_lease_and_the_sweep_leaves_its_task_alone(db_tasks, tmp_path):
    done = tmp_path / "done"
    result = wait_for_file_task.enqueue(path=str(done))
    worker = start_worker(tmp_path, tmp_path, "alive", lease_seconds=2)
    try:
        lease = wait_for(
            lambda: TaskLease.objects.filter(task_id=result.id).first(),
            timeout=60,
            what="the worker to take the task",
        )
        assert (lease.worker_id, lease.pid) == ("alive", worker.pid)
        first_expiry = lease.expires_at
        # Past the first expiry, the heartbeat has renewed the lease: nothing to sweep.
        wait_for(
            lambda: timezone.now() > first_expiry + datetime.timedelta(seconds=0.5),
            what="the first lease period to pass",
        )
        assert TaskLease.objects.get(task_id=result.id).expires_at > first_expiry
        swept = sweep_expired_tasks()
        assert (swept.retried, swept.failed) == ([], [])
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

        done.touch()
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
            what="the task to finish",
        )
        wait_for(lambda: not TaskLease.objects.exists(), what="the lease to be dropped")
        worker.send_signal(signal.SIGTERM)  # the worker's graceful stop
        assert worker.wait(timeout=30) == 0, worker_log(tmp_path, "alive")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["alive"]


def test_a_task_claimed_but_never_leased_is_queued_again_after_a_lease_period(
    db_tasks, tmp_path, settings
):
    settings.TWINNING_TASK_LEASE_SECONDS = 30
    task = _claimed_by_a_worker_that_died(tmp_path)

    assert sweep_expired_tasks().retried == []  # it may still be taking its lease
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        swept = sweep_expired_tasks()

    assert swept.retried == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # a worker will take it


def test_an_expired_lease_after_the_last_attempt_fails_the_task(db_tasks, tmp_path, settings):
    settings.TWINNING_TASK_MAX_ATTEMPTS = 2
    task = _claimed_by_a_worker_that_died(tmp_path)
    task.status = TaskResultStatus.READY
    task.save()
    task.claim("vanished-too")  # the second attempt
    now = timezone.now()
    TaskLease.objects.create(
        task=task,
        worker_id="vanished-too",
        hostname="elsewhere",
        pid=4242,
        started_at=now,
        renewed_at=now,
        expires_at=now + datetime.timedelta(seconds=5),
    )

    with time_machine.travel(now + datetime.timedelta(seconds=6)):
        swept = sweep_expired_tasks()

    assert swept.failed == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert "elsewhere:4242" in task.traceback
    assert "2 attempt(s)" in task.traceback
    assert not TaskLease.objects.exists()


def test_the_lease_of_a_task_that_ended_is_removed(db_tasks, tmp_path):
    task = _claimed_by_a_worker_that_died(tmp_path)
    now = timezone.now()
    TaskLease.objects.create(
        task=task, worker_id="w", hostname="h", pid=1, started_at=now, renewed_at=now,
        expires_at=now + datetime.timedelta(minutes=1),
    )  # fmt: skip
    task.set_successful("done")

    sweep_expired_tasks()

    assert not TaskLease.objects.exists()
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL


def test_sweep_tasks_is_a_scheduled_command(db_tasks, tmp_path, settings, capsys):
    settings.TWINNING_TASK_LEASE_SECONDS = 30
    _claimed_by_a_worker_that_died(tmp_path)
    assert "sweep_tasks" in django_settings.TWINNING_SCHEDULE
    assert "sweep_tasks" not in unknown_commands()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        call_command("sweep_tasks")

    assert "1 task(s) queued again, 0 failed." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("role", "sees"),
    [("staff", True), ("staff_without_otp", False), ("committee_admin", False), ("public", False)],
)
def test_verified_staff_read_failed_tasks_in_the_back_office(  # noqa: PLR0917 - pytest fixtures
    request, db_tasks, tmp_path, settings, role, sees
):
    settings.TWINNING_TASK_MAX_ATTEMPTS = 1
    task = _claimed_by_a_worker_that_died(tmp_path)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        sweep_expired_tasks()
    client = request.getfixturevalue(role)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")

    listing = client.get(url, {"status__exact": "FAILED"})
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk]))

    if sees:
        assert listing.status_code == detail.status_code == 200
        assert "wait_for_file_task" in listing.content.decode()
        assert "WorkerLost" in detail.content.decode()
    else:
        assert listing.status_code in {302, 403}
        assert "wait_for_file_task" not in listing.content.decode()
