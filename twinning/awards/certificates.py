"""The awards' certificates (PDF): the showcase's certificate renderer (one landscape page in
the platform's Unicode font) with the award's words, kept in private storage."""

from typing import Any

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from twinning.awards.models import Cycle, Honour
from twinning.core.dates import association_date
from twinning.core.media import private_storage, store_bytes
from twinning.core.services import get_association, log_activity
from twinning.showcase.pdf import CertificateText, render_certificate


def certificate_text(honour: Honour) -> CertificateText:
    heading = _("Winner") if honour.outcome == Honour.Outcome.WINNER else _("Honourable mention")
    cycle = honour.cycle
    when = cycle.announced_at if cycle is not None and cycle.announced_at else None
    return CertificateText(
        heading=str(heading),
        name=honour.nominee_name or honour.committee,
        line=_("%(category)s: “%(title)s”, %(community)s")
        % {"category": honour.category, "title": honour.title, "community": honour.community_name},
        edition=_("Annual Awards %(year)s") % {"year": honour.year},
        association=get_association().name,
        date=formats.date_format(association_date(when), "DATE_FORMAT")
        if when
        else str(honour.year),
    )


@transaction.atomic
def issue_certificate(*, honour: Honour) -> Honour:
    """Render the honour's certificate once (kept while it exists in storage)."""
    storage: Any = private_storage
    if honour.certificate_file and storage.exists(honour.certificate_file):
        return honour
    name = store_bytes(
        render_certificate(certificate_text(honour)), extension="pdf", folder="awards/certificates"
    )
    honour.certificate_file = name
    honour.save(update_fields=["certificate_file", "updated_at"])
    log_activity(honour, "awards.certificate.issued", data={"outcome": honour.outcome})
    return honour


def issue_certificates(*, cycle: Cycle) -> int:
    """A certificate for every honour of an announced cycle (one transaction each)."""
    made = 0
    for honour in Honour.objects.filter(cycle=cycle).select_related("cycle"):
        issue_certificate(honour=honour)
        made += 1
    return made
