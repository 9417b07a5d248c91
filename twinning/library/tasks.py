"""Background work of the library (C13): reading the text of an uploaded file for search."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def extract_text_task(*, version_id: int) -> str:
    from twinning.library.indexing import read_version_text

    return read_version_text(version_id=version_id)
