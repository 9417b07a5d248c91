"""Who may do what with activity reports (C11): the member's own committee admins report and
fetch their letters; staff (second factor verified) review, verify and build the report."""

import rules

from twinning.core.authz import is_staff
from twinning.network.rules import is_committee_admin_of

rules.add_perm("activities.report_activity", is_committee_admin_of)
rules.add_perm("activities.download_letter", is_committee_admin_of | is_staff)
rules.add_perm("activities.review_activity", is_staff)
rules.add_perm("activities.build_annual_report", is_staff)
