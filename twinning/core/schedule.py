"""Periodic jobs: the management commands in settings.TWINNING_SCHEDULE, each every N seconds.

django-tasks has no periodic tasks, so a small loop (`manage.py run_scheduler`, started by
`make demo` beside the task worker; or `run_scheduler --once` from cron) runs the due commands.
A job is claimed by moving its `next_run_at` forward with a conditional UPDATE, so two
schedulers never run the same job twice for one period; each command is itself idempotent
(reminders are sent once each, IDEM-4). A failing job is logged with its error and the
scheduler goes on with the others (LOG-7)."""

import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db.models import F
from django.utils import timezone

from twinning.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    error: str = ""


def schedule() -> dict[str, int]:
    """The configured jobs: command name -> interval in seconds."""
    return dict(settings.TWINNING_SCHEDULE)


def unknown_commands() -> list[str]:
    """Scheduled names that are not management commands (a system check reports them)."""
    known = get_commands()
    return sorted(name for name in schedule() if name not in known)


def _claim(name: str, interval: int) -> bool:
    now = timezone.now()
    ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    claimed = ScheduledJob.objects.filter(name=name, next_run_at__lte=now).update(
        next_run_at=now + timedelta(seconds=interval), last_started_at=now
    )
    return bool(claimed)


def run_due_jobs() -> list[JobResult]:
    """Run every job that is due now, once; return what ran and how it ended."""
    results = []
    for name, interval in schedule().items():
        if not _claim(name, interval):
            continue
        try:
            call_command(name, verbosity=0)
        except Exception as error:  # a job's failure must not stop the others (LOG-7)
            logger.exception("scheduled job %s failed", name)
            detail = "".join(traceback.format_exception_only(error)).strip()
            ScheduledJob.objects.filter(name=name).update(
                last_error=detail[:2000], last_finished_at=timezone.now()
            )
            results.append(JobResult(name, ok=False, error=detail))
        else:
            ScheduledJob.objects.filter(name=name).update(
                last_error="", last_finished_at=timezone.now(), runs=F("runs") + 1
            )
            results.append(JobResult(name, ok=True))
    return results
