"""Background work of the showcase's student side (C13): derivatives of an entry's work, and
the nightly retention job."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from twinning.core.leases import on_give_up
from twinning.showcase.models import EntryFile

logger = logging.getLogger(__name__)


@task()
def make_derivatives_task(*, entry_file_id: int) -> str:
    """Re-encode an uploaded work into what judges and the public see (ids in, C13)."""
    from twinning.showcase.services import make_derivatives

    entry_file = EntryFile.objects.filter(pk=entry_file_id).first()
    if entry_file is None:
        logger.info("entry file %s has gone; no derivatives to make", entry_file_id)
        return "gone"
    made = make_derivatives(entry_file=entry_file)
    return "ready" if made.derivative_name else "failed"


@on_give_up(make_derivatives_task)
def _derivatives_given_up(*, entry_file_id: int) -> None:
    """Its worker died on every attempt, or it failed: the entry leaves "being prepared"."""
    from twinning.showcase.services import give_up_derivatives

    give_up_derivatives(
        entry_file_id=entry_file_id,
        reason=_("Preparing the file was interrupted; staff can prepare it again."),
    )


@task()
def showcase_retention_task() -> dict:
    from twinning.showcase.privacy import apply_retention

    return apply_retention()
