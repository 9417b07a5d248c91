"""Background work of the awards (C13): the certificates once a cycle is announced."""

import logging

from django_tasks import task

from twinning.awards.models import Cycle

logger = logging.getLogger(__name__)


@task()
def issue_certificates_task(*, cycle_id: int) -> int:
    from twinning.awards.certificates import issue_certificates

    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None or not cycle.is_announced:
        logger.info("awards cycle %s is gone or not announced: no certificates", cycle_id)
        return 0
    return issue_certificates(cycle=cycle)
