"""Certificates of an edition's participants, finalists and winners: the documents app's
`showcase_certificate` (staff's text, one landscape page) in the student's language, kept
privately and, with its texts and values, as a documents.GeneratedDocument. A young person's
certificate is written with, and keeps, only their first name and community, the edition and
the result (RELIABILITY section 3); it goes with the student's erasure and the edition's
retention (`forget_certificates`)."""

from functools import partial
from typing import Any

from django.db import transaction

from twinning.core.dates import association_date
from twinning.core.media import delete_stored, private_storage, store_bytes
from twinning.core.services import log_activity
from twinning.documents.models import GeneratedDocument
from twinning.documents.services import discard_document
from twinning.documents.services import issue_certificate as issue_document
from twinning.review.models import Decision
from twinning.showcase.models import Certificate, Edition, Entry
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


def certificate_values(entry: Entry, kind: str, place: int | None) -> dict[str, Any]:
    """What the entry's certificate is written with, and all that is kept of the student."""
    edition = entry.edition
    student = entry.student
    community = student.community.name if student is not None and student.community_id else ""
    return {
        "first_name": student.first_name if student is not None else "",
        "community": community,
        "category": entry.category.name,
        "place": place if kind == Certificate.Kind.WINNER else None,
        "finalist": kind == Certificate.Kind.FINALIST,
        "year": edition.year,
        "theme": edition.theme,
        # The association's calendar day: certificates are built by a worker, in UTC.
        "published_on": association_date(
            edition.results_published_at or edition.closes_at
        ).isoformat(),
    }


@transaction.atomic
def issue_certificate(*, entry: Entry, decision: Decision | None) -> Certificate:
    """Make the entry's certificate and keep it privately, replacing an older one whose kind
    or place changed (the old file is deleted once this commits, its document at once)."""
    kind, place = _kind(decision)
    existing = Certificate.objects.filter(entry=entry).select_related("document").first()
    unchanged = existing is not None and (existing.kind, existing.place) == (kind, place)
    if unchanged and private_storage.exists(existing.file_name):
        return existing
    language = getattr(entry.student.user, "language", "") or None
    document, data = issue_document(
        kind="showcase_certificate",
        values=certificate_values(entry, kind, place),
        language=language,
    )
    name = store_bytes(data, extension="pdf", folder="certificates")
    if existing is not None:
        old, old_document = existing.file_name, existing.document
        transaction.on_commit(lambda: private_storage.delete(old))
        existing.kind, existing.place, existing.file_name = kind, place, name
        existing.document = document
        existing.save()
        discard_document(document=old_document)
        certificate = existing
    else:
        certificate = Certificate.objects.create(
            entry=entry, kind=kind, place=place, file_name=name, document=document
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


def forget_certificates(*, entry_ids: list[int]) -> int:
    """Delete the certificates of these entries: their rows, their kept documents (the
    student's first name is in them) and, once the transaction commits, their files.
    Erasure and retention call it before the entries change. Returns how many went."""
    certificates = list(Certificate.objects.filter(entry_id__in=entry_ids))
    names = [c.file_name for c in certificates if c.file_name]
    document_ids = [c.document_id for c in certificates if c.document_id]
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).delete()
    for document in GeneratedDocument.objects.filter(pk__in=document_ids):
        discard_document(document=document)
    if names:
        transaction.on_commit(partial(delete_stored, private_storage, names))
    return len(certificates)
