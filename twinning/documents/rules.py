"""Who may do what with documents (C11): a committee admin generates documents for their own
member (its partnerships only) while its membership is current; staff (second factor
verified) edit the texts and may act for any member."""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.documents.access import membership_refusal
from twinning.network.rules import is_committee_admin_of


@rules.predicate
def membership_allows(user: Any, member: Any) -> bool:
    return member is not None and membership_refusal(member) is None


rules.add_perm(
    "documents.generate_document", is_staff | (is_committee_admin_of & membership_allows)
)
rules.add_perm("documents.edit_templates", is_staff)
