"""Background work of the documents app (C13): a generated document's PDF."""

import logging

from django_tasks import task

from twinning.documents.models import GeneratedDocument
from twinning.documents.services import build_document

logger = logging.getLogger(__name__)


@task()
def build_document_task(*, document_id: int) -> str:
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        logger.info("document %s is gone; nothing to build", document_id)
        return "gone"
    try:
        build_document(document=document)
    except Exception as error:
        # Recorded for the committee to see, then raised so the task result keeps it (LOG-7).
        GeneratedDocument.objects.filter(pk=document_id).update(
            state=GeneratedDocument.State.FAILED, error=str(error)[:1000]
        )
        raise
    return "built"
