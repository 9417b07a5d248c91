"""Who may do what in the outbox (C11): only verified association staff read, edit, send or
discard e-mails and change their texts. Unsubscribing needs no account, only the signed link."""

import rules

from twinning.accounts.decorators import is_verified_staff


@rules.predicate
def is_staff(user) -> bool:  # type: ignore[no-untyped-def]
    """Association staff, with their second factor verified for this session."""
    return bool(getattr(user, "is_authenticated", False) and is_verified_staff(user))


rules.add_perm("outbox.review_messages", is_staff)
rules.add_perm("outbox.edit_templates", is_staff)
