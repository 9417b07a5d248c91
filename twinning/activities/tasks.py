"""Background work of the activities app (C13): invitation letters and the annual report."""

import logging

from django_tasks import task

from twinning.activities.models import AnnualReport, InvitationLetter
from twinning.activities.services import build_annual_report, build_invitation_letter

logger = logging.getLogger(__name__)


@task()
def build_invitation_letter_task(*, letter_id: int) -> str:
    letter = InvitationLetter.objects.filter(pk=letter_id).first()
    if letter is None:  # the traveller was removed meanwhile
        logger.info("invitation letter %s is gone; nothing to build", letter_id)
        return "gone"
    build_invitation_letter(letter=letter)
    return "built"


@task()
def build_annual_report_task(*, report_id: int) -> str:
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None:
        logger.info("annual report %s is gone; nothing to build", report_id)
        return "gone"
    try:
        build_annual_report(report=report)
    except Exception as error:
        # Recorded for staff to see, then raised so the task result keeps it (LOG-7).
        AnnualReport.objects.filter(pk=report_id).update(
            state=AnnualReport.State.FAILED, error=str(error)[:1000]
        )
        raise
    return "built"
