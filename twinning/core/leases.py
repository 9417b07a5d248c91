"""Leases on running background tasks, so a task whose worker died is recovered (DUR-4).

The database backend's worker (`manage.py db_worker`, ours: `LeasedWorker` below) marks a task
RUNNING when it claims it and nothing more: a worker killed mid-task (OOM killer, a deploy, a
power cut) leaves the task RUNNING forever, and the domain object waiting for it (an entry's
work "being prepared") with it. So:

- A running task holds a lease (`core.TaskLease`: worker, host, process, expiry). The worker
  takes it before the task starts, a heartbeat thread renews it every third of
  `TWINNING_TASK_LEASE_SECONDS` while the task runs, and the worker drops it when the task ends.
- `sweep_expired_tasks()` (`manage.py sweep_tasks`, scheduled every minute) finds RUNNING tasks
  whose lease lapsed, or that never got one, and puts them back in the queue, until the task
  has been started `TWINNING_TASK_MAX_ATTEMPTS` times; then it fails the task with
  `WorkerLost` (staff see it in the back office's task results) and calls the task's give-up
  handler, which shows the failure on the domain object.
- `on_give_up(task)` registers that handler, next to the task: it receives the task's keyword
  arguments. It is also called when a task fails by raising, so a domain object never waits for
  a task that will not run again.

Tasks are retried whole, so they must be idempotent (IDEM-4). On SQLite a task's write
transaction holds the database's only write lock, which the heartbeat waits for: the lease must
outlast the longest transaction a task keeps open (derivatives: seconds). RQ workers
(TASKS_BACKEND=rq) keep their own heartbeats: RQ moves a dead worker's job to its failed-job
registry; a task that raises is given up on that backend too (the give-up handler).
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from twinning.core.models import TaskLease

logger = logging.getLogger(__name__)

GiveUpHandler = Callable[..., None]
_give_up_handlers: dict[str, GiveUpHandler] = {}


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it, on every attempt allowed."""


def lease_seconds() -> int:
    return int(settings.TWINNING_TASK_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.TWINNING_TASK_MAX_ATTEMPTS)


def on_give_up(task: Task) -> Callable[[GiveUpHandler], GiveUpHandler]:
    """Register what to do when the platform gives up on `task`: called with the task's
    keyword arguments, in the sweep's transaction (or after the failed run)."""

    def register(handler: GiveUpHandler) -> GiveUpHandler:
        _give_up_handlers[task.module_path] = handler
        return handler

    return register


def _give_up(task_path: str, kwargs: dict[str, Any]) -> None:
    try:
        import_string(task_path)  # importing the task's module registers its handler
    except ImportError:
        logger.warning("task %s no longer exists; nothing to update", task_path)
        return
    handler = _give_up_handlers.get(task_path)
    if handler is not None:
        handler(**kwargs)


def _on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A task that failed by raising is given up too (the worker does not retry it). A failing
    handler is logged: it must not stop the worker that sent the signal."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    try:
        _give_up(task_result.task.module_path, dict(task_result.kwargs))
    except Exception:
        logger.exception("the give-up handler of task %s failed", task_result.id)


task_finished.connect(_on_task_finished, dispatch_uid="twinning.core.leases.give_up")


# --- The worker side -----------------------------------------------------------------------


class _Heartbeat(threading.Thread):
    """Renews one task's lease until stopped; uses its own database connection."""

    def __init__(self, task_id: Any, worker_id: str) -> None:
        super().__init__(name=f"lease-{task_id}", daemon=True)
        self.task_id = task_id
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(lease_seconds() / 3, 0.1)
        try:
            while not self.stopped.wait(interval):
                now = timezone.now()
                try:
                    renewed = TaskLease.objects.filter(
                        task_id=self.task_id, worker_id=self.worker_id
                    ).update(renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds()))
                except DatabaseError:  # a busy database: try again at the next beat
                    logger.warning("could not renew the lease of task %s", self.task_id)
                    continue
                if not renewed:
                    logger.warning("task %s lost its lease; the sweep re-queued it", self.task_id)
                    return
        finally:
            connection.close()


class LeasedWorker(Worker):
    """django-tasks-db's worker, holding a lease on each task it runs (see the module)."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        now = timezone.now()
        TaskLease.objects.update_or_create(
            task=db_task_result,
            defaults={
                "worker_id": self.worker_id,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "renewed_at": now,
                "expires_at": now + timedelta(seconds=lease_seconds()),
            },
        )
        heartbeat = _Heartbeat(db_task_result.pk, self.worker_id)
        heartbeat.start()
        try:
            super().run_task(db_task_result)
        finally:
            heartbeat.stopped.set()
            heartbeat.join()
            TaskLease.objects.filter(task=db_task_result, worker_id=self.worker_id).delete()


# --- The sweep -----------------------------------------------------------------------------


@dataclass
class SweepResult:
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _stale(now: datetime) -> Q:
    """Running with a lapsed lease, or claimed a lease period ago and never leased (the worker
    died between claiming the task and taking the lease)."""
    never_leased = now - timedelta(seconds=lease_seconds())
    return Q(lease__expires_at__lt=now) | Q(lease__isnull=True, started_at__lt=never_leased)


def sweep_expired_tasks(*, now: datetime | None = None) -> SweepResult:
    """Re-queue or fail every running task whose worker died (DUR-4). Each task is settled in
    its own transaction, under a lock, after checking again that its lease has lapsed; one
    task's failing give-up handler does not stop the others."""
    now = now or timezone.now()
    result = SweepResult()
    candidates = list(
        DBTaskResult.objects.running().filter(_stale(now)).values_list("pk", flat=True)
    )
    for pk in candidates:
        try:
            with transaction.atomic():
                task = (
                    DBTaskResult.objects.select_for_update(skip_locked=True, of=("self",))
                    .running()
                    .filter(_stale(now), pk=pk)
                    .first()
                )
                if task is None:
                    continue  # finished, renewed or settled by another sweep meanwhile
                _settle(task, result)
        except Exception:  # one task's handler must not stop the sweep of the others
            logger.exception("could not settle task %s whose worker died", pk)
    # Leases of tasks that ended while their worker was stopping (kept by a kill).
    TaskLease.objects.exclude(task__status=TaskResultStatus.RUNNING).delete()
    return result


def _settle(task: DBTaskResult, result: SweepResult) -> None:
    lease = TaskLease.objects.filter(task=task).first()
    worker = f"{lease.hostname}:{lease.pid}" if lease else "unknown"
    TaskLease.objects.filter(task=task).delete()
    attempts = len(task.worker_ids)
    if attempts < max_attempts():
        task.status = TaskResultStatus.READY
        task.save(update_fields=["status"])
        logger.warning(
            "task %s (%s): worker %s died; queued again (attempt %d of %d)",
            task.pk,
            task.task_path,
            worker,
            attempts + 1,
            max_attempts(),
        )
        result.retried.append(str(task.pk))
        return
    task.set_failed(
        WorkerLost(f"the worker ({worker}) stopped during each of {attempts} attempt(s)")
    )
    logger.error("task %s (%s): worker %s died; given up", task.pk, task.task_path, worker)
    _give_up(task.task_path, dict(task.args_kwargs.get("kwargs", {})))
    result.failed.append(str(task.pk))
