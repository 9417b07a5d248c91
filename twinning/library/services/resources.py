"""Resources, their versions, topics and language versions (staff)."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.media import delete_stored, private_storage, store_upload
from twinning.core.services import log_activity
from twinning.core.uploads import OFFICE_LIMITS, Kind, UploadLimits
from twinning.library.models import (
    FOLDER,
    Resource,
    Topic,
    TranslationGroup,
    Version,
    next_version_number,
)
from twinning.library.search import index_resource

DOCUMENT_KINDS = (Kind.PDF, Kind.DOCX, Kind.XLSX)
# A toolkit can be long: 20 MB and 300 pages (a PDF is rebuilt page by page, UPL-3).
DOCUMENT_LIMITS = UploadLimits(max_bytes=OFFICE_LIMITS.max_bytes, max_pages=300)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "resource"
    slug, n = base, 1
    while Resource.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _store_version(
    resource: Resource, *, upload: Any, url: str, change_note: str, by: Any
) -> Version:
    """A new version (a file through the upload pipeline, or an address) as the current one;
    the text of a file is read in the background (`extract_text_task`)."""
    version = Version(
        resource=resource,
        number=next_version_number(resource),
        change_note=change_note,
        uploaded_by=acting_user(by),
    )
    if resource.kind == Resource.Kind.DOCUMENT:
        if upload is None:
            raise ValidationError(
                {"upload": _("Choose the file of this version (PDF, DOCX or XLSX).")}
            )
        stored = store_upload(upload, allowed=DOCUMENT_KINDS, limits=DOCUMENT_LIMITS, folder=FOLDER)
        file = stored.files["document"]
        version.file, version.mime, version.size = file.name, file.mime, file.size
        version.file_name = stored.inspected.display_name
        version.text_state = Version.TextState.PENDING
    else:
        if not url:
            raise ValidationError({"url": _("Give the address of the page or the recording.")})
        version.url = url
    try:
        version.full_clean()
        version.save()
    except (ValidationError, IntegrityError):
        delete_stored(private_storage, [version.file])
        raise
    if version.file:
        # A transaction rolled back after this point leaves the file to core.orphans' sweep.
        from twinning.library.tasks import extract_text_task

        transaction.on_commit(partial(extract_text_task.enqueue, version_id=version.pk))
    return version


@transaction.atomic
def create_resource(
    *,
    title: str,
    summary: str,
    kind: str,
    language: str,
    access: str = Resource.Access.MEMBERS,
    topics: Iterable[Topic] = (),
    partner: str = "",
    source: str = "",
    featured: bool = False,
    upload: Any = None,
    url: str = "",
    by: Any,
) -> Resource:
    """A resource with its first version (a PDF, DOCX or XLSX file through the upload pipeline
    for documents, an address for links and recordings). Verified staff. Raises
    ValidationError (nothing stored) for bad fields or a refused file."""
    require(by, "library.manage")
    resource = Resource(
        title=title,
        slug=_unique_slug(title),
        summary=summary,
        kind=kind,
        language=language,
        access=access,
        partner=partner,
        source=source,
        featured=featured,
        created_by=acting_user(by),
    )
    resource.full_clean()
    resource.save()
    resource.topics.set(topics)
    _store_version(resource, upload=upload, url=url, change_note=_("First version"), by=by)
    index_resource(resource)
    log_activity(resource, "library.resource.created", by=by, data={"title": title})
    return resource


@transaction.atomic
def update_resource(
    *, resource: Resource, topics: Iterable[Topic] | None = None, by: Any
) -> Resource:
    """Save staff's changes to a resource's details (title, summary, access, language,
    partner, featured) and topics, and index it again. Verified staff."""
    require(by, "library.manage")
    resource.full_clean()
    resource.save()
    if topics is not None:
        resource.topics.set(topics)
    index_resource(resource)
    log_activity(resource, "library.resource.updated", by=by, data={"access": resource.access})
    return resource


@transaction.atomic
def add_version(
    *, resource: Resource, change_note: str, upload: Any = None, url: str = "", by: Any
) -> Version:
    """A new current version with what changed; older versions stay reachable. Verified
    staff. Raises ValidationError (nothing stored) for a missing note or a refused file."""
    require(by, "library.manage")
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    version = _store_version(
        resource, upload=upload, url=url, change_note=change_note.strip(), by=by
    )
    resource.save(update_fields=["updated_at"])
    index_resource(resource)
    log_activity(resource, "library.version.added", by=by, data={"number": version.number})
    return version


@transaction.atomic
def create_topic(*, name: str, by: Any) -> Topic:
    """A topic staff add to the default ones. Raises ValidationError for a duplicate."""
    require(by, "library.manage")
    topic = Topic(name=name.strip(), slug=slugify(name)[:90])
    if not topic.slug:
        raise ValidationError({"name": _("Give the topic a name with letters or digits.")})
    topic.full_clean()
    topic.save()
    log_activity(topic, "library.topic.created", by=by, data={"name": topic.name})
    return topic


@transaction.atomic
def link_translation(*, resource: Resource, other: Resource, by: Any) -> TranslationGroup:
    """Record that `resource` and `other` are the same resource in two languages: both (and
    the language versions each already had) end up in one group. Raises ValidationError when
    they share a language or are the same resource."""
    require(by, "library.manage")
    if resource.pk == other.pk:
        raise ValidationError({"other": _("Choose another resource, not this one.")})
    members = {resource.pk: resource, other.pk: other}
    for group in filter(None, [resource.translation_group, other.translation_group]):
        members.update({r.pk: r for r in group.resources.all()})
    languages = [r.language for r in members.values()]
    if len(languages) != len(set(languages)):
        raise ValidationError(
            {
                "other": _(
                    "These resources would give one language twice. Language versions must "
                    "each be in a different language."
                )
            }
        )
    group = (
        resource.translation_group or other.translation_group or TranslationGroup.objects.create()
    )
    Resource.objects.filter(pk__in=list(members)).update(translation_group=group)
    TranslationGroup.objects.filter(resources__isnull=True).delete()
    resource.translation_group = other.translation_group = group
    log_activity(resource, "library.translation.linked", by=by, data={"other": other.pk})
    return group


@transaction.atomic
def unlink_translation(*, resource: Resource, by: Any) -> Resource:
    """Take a resource out of its group of language versions."""
    require(by, "library.manage")
    group = resource.translation_group
    resource.translation_group = None
    resource.save(update_fields=["translation_group", "updated_at"])
    if group is not None and group.resources.count() < 2:
        group.resources.update(translation_group=None)
        group.delete()
    log_activity(resource, "library.translation.unlinked", by=by)
    return resource
