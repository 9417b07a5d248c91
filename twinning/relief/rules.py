"""Who may do what in relief (C11): staff run everything and alone record money received and
approve expenses; an appeal's organisers (admins of its organising committees) keep its needs,
pledges, shipments, expenses and updates; the partner side (admins of a committee of the
affected community, or the holder of a single-use link) confirms needs and receipts; any
committee admin pledges for their committee."""

from typing import Any

import rules

from twinning.core.authz import is_staff


@rules.predicate
def is_organiser(user: Any, appeal: Any) -> bool:
    if appeal is None or not getattr(user, "is_authenticated", False):
        return False
    return appeal.organisers.filter(admins=user).exists()


@rules.predicate
def is_partner_side(user: Any, appeal: Any) -> bool:
    if appeal is None or not getattr(user, "is_authenticated", False):
        return False
    return appeal.community.members.filter(admins=user).exists()


@rules.predicate
def is_committee_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.administered_members.exists()


@rules.predicate
def is_public(user: Any, appeal: Any) -> bool:
    return appeal is not None and appeal.status != "draft"


rules.add_perm("relief.manage", is_staff)
rules.add_perm("relief.organise_appeal", is_staff | is_organiser)
rules.add_perm("relief.partner_appeal", is_staff | is_partner_side)
rules.add_perm("relief.pledge_appeal", is_public & (is_staff | is_committee_admin))
rules.add_perm("relief.view_appeal", is_public | is_staff | is_organiser | is_partner_side)
