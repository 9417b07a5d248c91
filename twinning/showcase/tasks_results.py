"""Background work for an edition's results (C13): making the certificates once the results
are published."""

import logging

from django_tasks import task

from twinning.showcase.models import Edition

logger = logging.getLogger(__name__)


@task()
def generate_certificates_task(*, edition_id: int) -> int:
    """Make (or remake) the certificate of every judged entry of a published edition; returns
    how many were made."""
    from twinning.showcase.certificates import issue_certificates

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None or not edition.results_published:
        logger.info("edition %s is gone or unpublished: no certificates", edition_id)
        return 0
    return issue_certificates(edition=edition)
