"""Writes of the documents app (C4, C5): staff's texts per document and language (each save a
new version), generating a document for a member (its texts written at once, its PDF built by
a background task), making a kept document again, and building a PDF.

A committee admin acts for their own member only, while its membership is current
(`documents.generate_document`); a partnership must be one of the member's communities'.
Other apps (activities' visa letter) call `generate_document` with SYSTEM and `build=False`,
and build the PDF themselves from the document's texts (`document_file`). Awards, the
showcase and events make their certificates here too: `issue_certificate` keeps one (texts,
values, PDF bytes for the app's own storage), `certificate_pdf` writes one kept nowhere."""

import datetime
import logging
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.services import get_association, log_activity
from twinning.documents.compose import (
    Composition,
    base_values,
    compose,
    languages_for,
    our_side,
    registry_values,
    render_sources,
    text_language,
)
from twinning.documents.kinds import CERTIFICATE, check_texts, get_kind
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.network.models import Member, Partnership

logger = logging.getLogger(__name__)


# --- Staff's texts -----------------------------------------------------------------------------


@transaction.atomic
def save_document_template(
    *, kind: str, language: str, title: str, body: str, by: Any
) -> DocumentTemplate:
    """Store staff's text for `kind` in `language` as its next version; ValidationError
    (keyed by field) for invalid syntax or a placeholder the document does not offer."""
    require(by, "documents.edit_templates")
    spec = get_kind(kind)
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    check_texts(spec, title=title, body=body)
    template = DocumentTemplate(
        kind=kind,
        language=language,
        version=DocumentTemplate.next_version(kind, language),
        title=title,
        body=body,
        created_by=acting_user(by),
    )
    template.full_clean()
    template.save()
    log_activity(
        template,
        "documents.template.saved",
        by=by,
        data={"kind": kind, "language": language, "version": template.version},
    )
    return template


# --- Generating --------------------------------------------------------------------------------


def _check_partnership(member: Member, partnership: Partnership | None, *, needed: bool) -> None:
    if partnership is None:
        if needed:
            raise ValidationError({"partnership": _("Choose one of your partnerships.")})
        return
    ours = set(member.communities.values_list("pk", flat=True))
    if not ours & {partnership.community_a_id, partnership.community_b_id}:
        raise NotAllowed("documents.partnership")


def _clean_values(kind: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The filled-in fields as JSON (dates as ISO); ValidationError when one is missing."""
    cleaned: dict[str, Any] = {}
    missing = {}
    for field in kind.fields:
        value = values.get(field.name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        value = str(value or "").strip()
        if field.required and not value:
            missing[field.name] = _("Fill this in: the registry does not know it.")
        cleaned[field.name] = value
    if missing:
        raise ValidationError(missing)
    return cleaned


def document_inputs(
    *, kind: str, member: Member, partnership: Partnership | None, values: dict[str, Any]
) -> dict[str, Any]:
    """Every value a document is written with: the association's, the registry's, and the
    committee's (checked); what is kept with the document."""
    spec = get_kind(kind)
    asked = {field.name for field in spec.fields}
    return {
        **base_values(),
        **registry_values(member=member, partnership=partnership),
        **{k: v for k, v in values.items() if k in spec.placeholders and k not in asked},
        **_clean_values(spec, values),
    }


def _languages(kind: Any, member: Member, partnership: Partnership | None, language: str | None):
    """The chosen language where the kind has a text in it (else the association's, else the
    source language) and, for a bilingual kind, the partner's (`languages_for`)."""
    primary = text_language(kind, language)
    partner_country = None
    if partnership is not None:
        partner_country = our_side(member, partnership)[1].country_id
    return languages_for(kind, primary=primary, partner_country=partner_country)


def preview_document(
    *,
    kind: str,
    member: Member,
    partnership: Partnership | None = None,
    values: dict[str, Any],
    language: str | None = None,
    by: Any,
) -> list[dict[str, Any]]:
    """The texts the document would have, written now and stored nowhere."""
    require(by, "documents.generate_document", member)
    spec = get_kind(kind)
    _check_partnership(member, partnership, needed=spec.for_partnership)
    inputs = document_inputs(kind=kind, member=member, partnership=partnership, values=values)
    languages = _languages(spec, member, partnership, language)
    return compose(spec, inputs=inputs, languages=languages).texts


@transaction.atomic
def generate_document(
    *,
    kind: str,
    member: Member,
    partnership: Partnership | None = None,
    values: dict[str, Any],
    language: str | None = None,
    by: Any,
    build: bool = True,
) -> GeneratedDocument:
    """Write the document's texts now and keep them with their templates and values; with
    `build`, a task builds its PDF once the transaction commits. ValidationError for a
    missing field; NotAllowed for another member's partnership."""
    require(by, "documents.generate_document", member)
    spec = get_kind(kind)
    _check_partnership(member, partnership, needed=spec.for_partnership)
    inputs = document_inputs(kind=kind, member=member, partnership=partnership, values=values)
    composition = compose(
        spec, inputs=inputs, languages=_languages(spec, member, partnership, language)
    )
    document = GeneratedDocument(
        kind=kind,
        member=member,
        partnership=partnership,
        sources=composition.sources,
        inputs=composition.inputs,
        texts=composition.texts,
        requested_by=acting_user(by),
        state=GeneratedDocument.State.PENDING if build else GeneratedDocument.State.READY,
        generated_at=None if build else timezone.now(),
    )
    document.full_clean()
    document.save()
    log_activity(
        document, "documents.document.generated", by=by, data={"kind": kind, "id": document.pk}
    )
    if build:
        transaction.on_commit(partial(_enqueue_build, document.pk))
    return document


@transaction.atomic
def regenerate_document(*, document: GeneratedDocument, by: Any) -> GeneratedDocument:
    """Make a kept document again from the very templates and values it was made from: a
    new document with the same texts (not today's templates), its PDF built by a task."""
    require(by, "documents.generate_document", document.member)
    spec = get_kind(document.kind)
    again = GeneratedDocument(
        kind=document.kind,
        member=document.member,
        partnership=document.partnership,
        sources=document.sources,
        inputs=document.inputs,
        texts=render_sources(spec, document.sources, document.inputs),
        requested_by=acting_user(by),
        regenerated_from=document,
    )
    again.full_clean()
    again.save()
    log_activity(again, "documents.document.regenerated", by=by, data={"from": document.pk})
    transaction.on_commit(partial(_enqueue_build, again.pk))
    return again


def discard_document(*, document: GeneratedDocument | None) -> None:
    """Forget a document and its PDF: for an app whose own row the document belonged to
    (a traveller removed, their letter rebuilt), after that app's service checked its actor."""
    if document is None:
        return
    from twinning.core.media import delete_stored, private_storage

    if document.file_name:
        transaction.on_commit(partial(delete_stored, private_storage, [document.file_name]))
    document.delete()


def _enqueue_build(document_id: int) -> None:
    from twinning.documents.tasks import build_document_task

    build_document_task.enqueue(document_id=document_id)


def document_file(document: GeneratedDocument) -> bytes:
    """The PDF of a kept document's texts, in its kind's layout. A certificate's metadata
    title is the kind's name: nothing about the recipient (a young person's name) is in it."""
    from twinning.documents.pdf import document_pdf

    spec = get_kind(document.kind)
    title = str(spec.name) if spec.layout == CERTIFICATE else None
    return document_pdf(
        texts=document.texts, association=get_association(), layout=spec.layout, title=title
    )


# --- Certificates of the apps above (awards, showcase, events) ----------------------------------


def _certificate_composition(
    kind: str, values: dict[str, Any], language: str | None
) -> Composition:
    spec = get_kind(kind)
    given = {k: v for k, v in values.items() if k in spec.placeholders}
    for name in spec.dates:
        if isinstance(given.get(name), datetime.date):
            given[name] = given[name].isoformat()
    inputs = {**base_values(), **given}
    return compose(spec, inputs=inputs, languages=[text_language(spec, language)])


def certificate_pdf(*, kind: str, values: dict[str, Any], language: str | None) -> bytes:
    """A certificate written now from staff's current text (in `language` where one exists,
    else the association's or the source language) and kept nowhere: for a certificate the
    calling app makes again on every download from its own rows (events' attendance). The
    calling app has checked its actor."""
    from twinning.documents.pdf import document_pdf

    composition = _certificate_composition(kind, values, language)
    spec = get_kind(kind)
    return document_pdf(
        texts=composition.texts,
        association=get_association(),
        layout=spec.layout,
        title=str(spec.name),
    )


@transaction.atomic
def issue_certificate(
    *, kind: str, values: dict[str, Any], language: str | None
) -> tuple[GeneratedDocument, bytes]:
    """Write a certificate and keep it as a GeneratedDocument (no member: it belongs to the
    calling app's row, which links it) with the texts and only the values the kind declares;
    return it and its PDF, which the calling app stores in its own folder (as the visa
    letter). The caller discards it (`discard_document`) with its row."""
    composition = _certificate_composition(kind, values, language)
    document = GeneratedDocument(
        kind=kind,
        sources=composition.sources,
        inputs=composition.inputs,
        texts=composition.texts,
        state=GeneratedDocument.State.READY,
        generated_at=timezone.now(),
    )
    document.full_clean()
    document.save()
    log_activity(document, "documents.certificate.issued", data={"kind": kind})
    return document, document_file(document)


@transaction.atomic
def build_document(*, document: GeneratedDocument) -> GeneratedDocument:
    """Build (or rebuild) a document's PDF from its kept texts into private storage."""
    from twinning.core.media import delete_stored, private_storage, store_bytes

    document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    data = document_file(document)
    old = document.file_name
    document.file_name = store_bytes(data, extension="pdf", folder="documents")
    document.state = GeneratedDocument.State.READY
    document.generated_at = timezone.now()
    document.error = ""
    document.save()
    if old:
        transaction.on_commit(partial(delete_stored, private_storage, [old]))
    return document
