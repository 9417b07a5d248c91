"""The awards' certificates (PDF): the documents app's `honour_certificate` (staff's text, one
landscape page) with the honour's values, kept in private storage and, with its texts and
values, as a documents.GeneratedDocument."""

from typing import Any

from django.db import transaction

from twinning.awards.models import Cycle, Honour
from twinning.core.dates import association_date
from twinning.core.media import private_storage, store_bytes
from twinning.core.services import log_activity
from twinning.documents.compose import association_language
from twinning.documents.services import discard_document
from twinning.documents.services import issue_certificate as issue_document


def certificate_values(honour: Honour) -> dict[str, Any]:
    """What the certificate of `honour` is written with (the announcement's day in the
    association's calendar, else none: the year stands for it)."""
    cycle = honour.cycle
    when = cycle.announced_at if cycle is not None and cycle.announced_at else None
    return {
        "winner": honour.outcome == Honour.Outcome.WINNER,
        "recipient": honour.nominee_name or honour.committee,
        "category": honour.category,
        "work_title": honour.title,
        "community": honour.community_name,
        "year": honour.year,
        "announced_on": association_date(when).isoformat() if when else "",
    }


@transaction.atomic
def issue_certificate(*, honour: Honour) -> Honour:
    """Make the honour's certificate once (kept while it exists in storage); one made again
    replaces the kept document."""
    storage: Any = private_storage
    if honour.certificate_file and storage.exists(honour.certificate_file):
        return honour
    old_document = honour.certificate_document
    document, data = issue_document(
        kind="honour_certificate",
        values=certificate_values(honour),
        language=association_language(),
    )
    honour.certificate_file = store_bytes(data, extension="pdf", folder="awards/certificates")
    honour.certificate_document = document
    honour.save(update_fields=["certificate_file", "certificate_document", "updated_at"])
    discard_document(document=old_document)
    log_activity(honour, "awards.certificate.issued", data={"outcome": honour.outcome})
    return honour


def issue_certificates(*, cycle: Cycle) -> int:
    """A certificate for every honour of an announced cycle (one transaction each)."""
    made = 0
    for honour in Honour.objects.filter(cycle=cycle).select_related(
        "cycle", "certificate_document"
    ):
        issue_certificate(honour=honour)
        made += 1
    return made
