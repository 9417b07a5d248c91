"""Who may do what with memberships (C11). Committee admins act on their own member only;
staff (second factor verified) on every member."""

import rules

from twinning.core.authz import is_staff
from twinning.network.rules import is_committee_admin_of

rules.add_perm("members.view_membership", is_staff | is_committee_admin_of)
rules.add_perm("members.apply_membership", is_staff | is_committee_admin_of)
rules.add_perm("members.manage_coadmins", is_staff | is_committee_admin_of)
rules.add_perm("members.view_invoice", is_staff | is_committee_admin_of)
# Paying online is the committee's own act; staff record money that came in by other means.
rules.add_perm("members.pay_invoice", is_committee_admin_of)
rules.add_perm("members.manage_members", is_staff)
rules.add_perm("members.decide_membership", is_staff)
rules.add_perm("members.issue_invoice", is_staff)
rules.add_perm("members.record_payment", is_staff)
rules.add_perm("members.send_bulk_mail", is_staff)
rules.add_perm("members.import_members", is_staff)
