"""The audit log's part in forgetting a person (PRIV: erasure and retention). Each app forgets
in its own tables through its own service (review items, outbox messages, the showcase's
students); this is core's: audit entries keep their action, object and time, so the log
still says what happened, but lose their details."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from twinning.core.models import ActivityLog

# (model, primary keys): the objects whose traces are to be forgotten.
Subjects = Iterable[tuple[type[models.Model], Iterable[Any]]]


def subjects_condition(subjects: Subjects, *, for_concrete_model: bool = True) -> Q:
    """A filter on (content_type, object_id) matching any of `subjects`; matches nothing when
    `subjects` is empty. For any table that points at objects generically; a table whose
    generic key keeps proxy models apart passes for_concrete_model=False, as its key does."""
    condition = Q(pk__in=[])
    for model, pks in subjects:
        ids = [str(pk) for pk in pks]
        if ids:
            content_type = ContentType.objects.get_for_model(
                model, for_concrete_model=for_concrete_model
            )
            condition |= Q(content_type=content_type, object_id__in=ids)
    return condition


def shred_audit_data(*, subjects: Subjects = (), actor: Any = None) -> int:
    """Blank the details of every audit entry about `subjects`, and of every entry `actor`
    signed (call it for an account about to be deleted: its name goes with the account, and
    what it wrote in the details goes here). Returns how many entries were blanked."""
    condition = subjects_condition(subjects)
    if actor is not None and getattr(actor, "pk", None) is not None:
        condition |= Q(actor=actor)
    return ActivityLog.objects.filter(condition).exclude(data={}).update(data={})
