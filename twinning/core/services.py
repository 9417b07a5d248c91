"""Writes with no domain: the audit helper every service calls, and the association's settings."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction

from twinning.core.authz import acting_user, require_verified_staff
from twinning.core.models import ActivityLog, Association

# Keys whose values never reach the audit log (LOG-n: no secrets in logs). Exact names, not
# substrings: "code" is a review item's public code and "codes" a list of them, which the
# audit entry of a decision must keep; only these names are secret wherever they appear.
SECRET_KEYS = frozenset(
    {
        # passwords (Django's forms and ours)
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password",
        "new_password1",
        "new_password2",
        # second factor: django-otp's form field, TOTP device keys, recovery codes
        "otp",
        "otp_token",
        "otp_code",
        "totp",
        "totp_code",
        "totp_key",
        "recovery_code",
        "recovery_codes",
        "backup_code",
        "backup_codes",
        # tokens and keys: API tokens, one-use links (consent, invitation, reset), webhooks
        "token",
        "raw_token",
        "api_key",
        "access_token",
        "refresh_token",
        "consent_token",
        "manage_token",
        "invitation_token",
        "reset_token",
        "secret",
        "secret_key",
        "client_secret",
        "webhook_secret",
        "signature",
        "session_key",
    }
)
MASK = "********"
ASSOCIATION_CACHE_KEY = "core:association"


def _mask(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the value of every secret key (exact name, any case) masked, also inside
    nested mappings."""
    return {
        key: (
            MASK
            if str(key).lower() in SECRET_KEYS
            else _mask(value)
            if isinstance(value, dict)
            else value
        )
        for key, value in data.items()
    }


def log_activity(
    obj: models.Model, action: str, *, by: Any = None, data: dict[str, Any] | None = None
) -> ActivityLog:
    """Write one audit entry for `obj` (C15). Call it from services only, inside their atomic
    block, so the entry exists exactly when the change does."""
    actor = acting_user(by)
    return ActivityLog.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        data=_mask(data or {}),
    )


def log_activities(
    model: type[models.Model],
    pks: list[Any],
    action: str,
    *,
    by: Any = None,
    data: dict[str, Any] | None = None,
) -> int:
    """`log_activity` for many rows of one model at once (a bulk release of mail, say): one
    entry per row, written in batches. Returns how many entries were written."""
    actor = acting_user(by)
    content_type = ContentType.objects.get_for_model(model)
    entries = [
        ActivityLog(
            actor=actor,
            action=action,
            content_type=content_type,
            object_id=str(pk),
            data=_mask(data or {}),
        )
        for pk in pks
    ]
    return len(ActivityLog.objects.bulk_create(entries, batch_size=500))


def get_association() -> Association:
    """The association row, cached; changes go through `update_association`."""
    association = cache.get(ASSOCIATION_CACHE_KEY)
    if association is None:
        association = Association.load()
        cache.set(ASSOCIATION_CACHE_KEY, association, 300)
    return association


@transaction.atomic
def update_association(*, association: Association, by: Any, **fields: Any) -> Association:
    """Change the association's own settings (verified staff); logs the change and refreshes
    the cache."""
    require_verified_staff(by)
    changed = {}
    for name, value in fields.items():
        if getattr(association, name) != value:
            changed[name] = str(value)
            setattr(association, name, value)
    association.full_clean()
    association.save()
    log_activity(association, "core.association.changed", by=by, data=changed)
    transaction.on_commit(lambda: cache.delete(ASSOCIATION_CACHE_KEY))
    return association
