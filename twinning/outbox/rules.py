"""Who may do what in the outbox (C11): only verified association staff read, edit, send or
discard e-mails and change their texts. Unsubscribing needs no account, only the signed link."""

import rules

from twinning.core.authz import is_staff

rules.add_perm("outbox.review_messages", is_staff)
rules.add_perm("outbox.edit_templates", is_staff)
