"""Background work of the registry (C13): importing a partnership file."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from twinning.network.imports import import_partnerships

logger = logging.getLogger(__name__)


@task()
def import_partnerships_task(
    *, path: str, report_path: str | None = None, user_id: int | None = None
) -> dict:
    """Import a partnership file in the worker (an upload by staff, say); returns the
    figures of the ImportRun it records. A malformed file raises ImportFileError, which the
    task result keeps."""
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    result = import_partnerships(path, report_path=report_path, by=by)
    logger.info("imported %s: %s", path, "; ".join(result.summary_lines()))
    return {
        "import_run": result.run.pk if result.run else None,
        "rows_read": result.rows_read,
        "created": result.created,
        "already_present": result.already_present,
        "rejected": dict(result.rejected),
        "report": str(result.report_path),
    }
