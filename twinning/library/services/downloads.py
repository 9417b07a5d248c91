"""Downloads: each opening of a resource, counted for staff's statistics."""

from typing import Any

from django.db import transaction

from twinning.core.authz import NotAllowed, acting_user
from twinning.library.access import Access, access_for, may_open
from twinning.library.models import Download, Resource, Version


@transaction.atomic
def record_download(
    *, resource: Resource, version: Version | None, by: Any, access: Access | None = None
) -> Download:
    """Count one opening of `resource` (a file downloaded or a link followed) by `by`, for the
    organisation they run. Raises NotAllowed when `by` may not open it (checked first, from
    their standing now; a view passes the request's `access`). Not audited: the row is the
    record, and opening a resource changes nothing else."""
    access = access or access_for(by)
    if not may_open(access, resource):
        raise NotAllowed("library.open_resource")
    user = acting_user(by)
    return Download.objects.create(
        resource=resource, version=version, user=user, member=access.member
    )
