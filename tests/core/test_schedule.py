"""Periodic jobs: due jobs run once per period, failures are recorded and do not stop others."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from twinning.core.checks import scheduled_commands_exist
from twinning.core.models import ScheduledJob
from twinning.core.schedule import run_due_jobs

pytestmark = pytest.mark.django_db


@override_settings(TWINNING_SCHEDULE={"diffsettings": 3600})
def test_a_due_job_runs_once_per_period_however_often_the_scheduler_wakes():
    with time_machine.travel("2026-11-23 10:00Z", tick=False):
        first = run_due_jobs()
        second = run_due_jobs()
    with time_machine.travel("2026-11-23 11:00:01Z", tick=False):
        third = run_due_jobs()

    assert [r.name for r in first] == ["diffsettings"]
    assert second == []
    assert [r.ok for r in third] == [True]
    assert ScheduledJob.objects.get(name="diffsettings").runs == 2


@override_settings(TWINNING_SCHEDULE={"import_partnerships": 60, "diffsettings": 60})
def test_a_failing_job_is_recorded_and_the_others_still_run():
    results = {r.name: r for r in run_due_jobs()}

    assert results["import_partnerships"].ok is False
    assert results["diffsettings"].ok is True
    assert "arguments" in ScheduledJob.objects.get(name="import_partnerships").last_error


@override_settings(TWINNING_SCHEDULE={"diffsettings": 60})
def test_run_scheduler_once_prints_what_ran():
    out = StringIO()

    call_command("run_scheduler", "--once", stdout=out)

    assert out.getvalue().strip() == "diffsettings: ok"


@override_settings(TWINNING_SCHEDULE={"no_such_command": 60})
def test_a_schedule_naming_a_missing_command_fails_the_system_check():
    errors = scheduled_commands_exist(None)

    assert [e.id for e in errors] == ["twinning.E001"]
    assert "no_such_command" in errors[0].msg
