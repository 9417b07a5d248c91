"""Who may do what in funding programs (C11): staff run programs, calls, review, decisions and
grants; a side's committee admins write, sign and report for their side; the lead side's
admins write the application itself."""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.grants.models import Application, ApplicationSide, Grant, Report


def _admin_of(user: Any, member_id: int | None) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and member_id is not None
        and user.administered_members.filter(pk=member_id).exists()
    )


@rules.predicate
def is_committee_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.administered_members.exists())


@rules.predicate
def is_lead_admin(user: Any, application: Any) -> bool:
    if not isinstance(application, Application):
        return False
    lead = application.sides.filter(is_lead=True).values_list("member_id", flat=True).first()
    return _admin_of(user, lead)


@rules.predicate
def is_side_admin(user: Any, side: Any) -> bool:
    if isinstance(side, Report):
        side = side.side
    if not isinstance(side, ApplicationSide):
        return False
    return _admin_of(user, side.member_id)


@rules.predicate
def is_party_admin(user: Any, obj: Any) -> bool:
    """An admin of any side of the application (or of the grant's application)."""
    if isinstance(obj, Grant):
        obj = obj.application
    if not isinstance(obj, Application) or not getattr(user, "is_authenticated", False):
        return False
    return obj.sides.filter(member__admins=user).exists()


rules.add_perm("grants.manage", is_staff)
rules.add_perm("grants.start_application", is_committee_admin)
rules.add_perm("grants.change_application", is_lead_admin)
rules.add_perm("grants.change_side", is_side_admin)
rules.add_perm("grants.sign_side", is_side_admin)
rules.add_perm("grants.view_application", is_party_admin | is_staff)
rules.add_perm("grants.submit_report", is_side_admin)
