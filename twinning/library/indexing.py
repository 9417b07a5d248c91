"""Reading a version's text for search, in the background (tasks.extract_text_task): the
file is opened from private storage, its text extracted (library/text.py) and the resource
indexed again when this version is still its current one."""

import logging
from typing import Any

from django.db import transaction

from twinning.core.media import private_storage
from twinning.library.models import Version
from twinning.library.search import index_resource
from twinning.library.text import extract_text

logger = logging.getLogger(__name__)


def read_version_text(*, version_id: int) -> str:
    """The version's text state after reading ("done", "none", "failed"); nothing when the
    version has gone."""
    version = Version.objects.select_related("resource").filter(pk=version_id).first()
    if version is None or not version.file:
        logger.info("library version %s is gone or has no file: no text to read", version_id)
        return "gone"
    try:
        storage: Any = private_storage
        with storage.open(version.file, "rb") as handle:
            text = extract_text(handle.read(), version.mime)
    except Exception:  # a file the pipeline accepted but a reader chokes on: search without it
        logger.exception("library version %s: text could not be read", version_id)
        text, state = "", Version.TextState.FAILED
    else:
        state = Version.TextState.DONE if text is not None else Version.TextState.NONE
    with transaction.atomic():
        Version.objects.filter(pk=version.pk).update(text=text or "", text_state=state)
        index_resource(version.resource)
    return str(state)
