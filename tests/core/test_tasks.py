"""Background tasks round-trip on the database backend and, where Redis runs, on RQ: the
outbox's sending task, enqueued for a queued message, sends it through the worker."""

import os

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend, task_backends
from django_tasks.base import TaskResultStatus

from twinning.outbox.models import OutboxMessage
from twinning.outbox.tasks import send_message_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(subject: str) -> OutboxMessage:
    return OutboxMessage.objects.create(
        to="committee@example.org",
        template="test.task",
        language="en",
        subject=subject,
        body="Hello",
        state=OutboxMessage.State.QUEUED,
        next_attempt_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_task_round_trips_through_the_database_backend_and_its_worker():
    with override_settings(TASKS=DB_TASKS):
        task_backends._settings = None  # re-read TASKS for this test
        task_backends.__dict__.pop("backends", None)
        try:
            message = _queued("Welcome")
            result = send_message_task.using(backend="default").enqueue(message_id=message.pk)
            assert result.status == TaskResultStatus.READY

            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL
            assert result.return_value == "sent"
            assert [m.subject for m in mail.outbox] == ["Welcome"]
        finally:
            task_backends.__dict__.pop("backends", None)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_task_round_trips_through_rq_on_redis():
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(
        TASKS=rq_tasks, RQ_QUEUES={"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
    ):
        task_backends.__dict__.pop("backends", None)
        try:
            queue = django_rq.get_queue("default")
            queue.empty()
            result = send_message_task.enqueue(message_id=_queued("Via Redis").pk)

            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL
            assert [m.subject for m in mail.outbox] == ["Via Redis"]
        finally:
            task_backends.__dict__.pop("backends", None)
            assert default_task_backend is not None
