"""Certificates of an edition's participants, finalists and winners: the text of each (in the
student's language) and the service that renders it (pdf.py) into private storage."""

from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from twinning.core.dates import association_date
from twinning.core.media import private_storage, store_bytes
from twinning.core.services import get_association, log_activity
from twinning.review.models import Decision
from twinning.showcase.models import Certificate, Edition, Entry
from twinning.showcase.pdf import CertificateText, render_certificate
from twinning.showcase.services import judged_entries, results_of


def _kind(decision: Decision | None) -> tuple[str, int | None]:
    if decision is not None and decision.outcome == Decision.Outcome.WINNER:
        return Certificate.Kind.WINNER, decision.place
    if decision is not None and decision.outcome in (
        Decision.Outcome.FINALIST,
        Decision.Outcome.HONOURABLE_MENTION,
    ):
        return Certificate.Kind.FINALIST, None
    return Certificate.Kind.PARTICIPANT, None


def certificate_text(entry: Entry, kind: str, place: int | None) -> CertificateText:
    edition = entry.edition
    association = get_association()
    headings = {
        Certificate.Kind.PARTICIPANT: _("Certificate of participation"),
        Certificate.Kind.FINALIST: _("Finalist"),
        Certificate.Kind.WINNER: _("Winner: place %(place)s") % {"place": place},
    }
    return CertificateText(
        heading=str(headings[kind]),
        name=f"{entry.student.first_name} {entry.student.last_name}",
        line=_("for “%(title)s”, %(category)s")
        % {"title": entry.title, "category": entry.category.name},
        edition=_("Young Artists and Authors Showcase %(year)s: %(theme)s")
        % {"year": edition.year, "theme": edition.theme},
        association=association.name,
        # The association's calendar day: certificates are built by a worker, in UTC.
        date=formats.date_format(
            association_date(edition.results_published_at or edition.closes_at), "DATE_FORMAT"
        ),
        language=translation.get_language() or "en",
    )


@transaction.atomic
def issue_certificate(*, entry: Entry, decision: Decision | None) -> Certificate:
    """Render the entry's certificate and keep it privately, replacing an older one whose kind
    or place changed (the old file is deleted once this commits)."""
    kind, place = _kind(decision)
    existing = Certificate.objects.filter(entry=entry).first()
    unchanged = existing is not None and (existing.kind, existing.place) == (kind, place)
    if unchanged and private_storage.exists(existing.file_name):
        return existing
    language = getattr(entry.student.user, "language", "") or None
    with translation.override(language or translation.get_language()):
        data = render_certificate(certificate_text(entry, kind, place))
    name = store_bytes(data, extension="pdf", folder="certificates")
    if existing is not None:
        old = existing.file_name
        transaction.on_commit(lambda: private_storage.delete(old))
        existing.kind, existing.place, existing.file_name = kind, place, name
        existing.save()
        certificate = existing
    else:
        certificate = Certificate.objects.create(
            entry=entry, kind=kind, place=place, file_name=name
        )
    log_activity(certificate, "showcase.certificate.issued", data={"kind": kind, "place": place})
    return certificate


def issue_certificates(*, edition: Edition) -> int:
    """A certificate for every judged entry of the edition (one transaction per entry, so a
    long run keeps what it made)."""
    decisions = results_of(edition)
    made = 0
    for entry in judged_entries(edition):
        issue_certificate(entry=entry, decision=decisions.get(entry.pk))
        made += 1
    return made
