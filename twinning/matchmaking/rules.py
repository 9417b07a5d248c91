"""Who may do what in matchmaking (C11): staff list communities abroad and act for any
profile; a committee admin keeps their current member's communities' profiles and expresses
interest for them (access.py says why the rule is the membership's alone), and keeps its
member's expertise offers and requests (`act_for_member`)."""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.matchmaking.access import may_act_for, may_act_for_member


@rules.predicate
def acts_for_community(user: Any, community: Any) -> bool:
    return community is not None and may_act_for(user, community)


@rules.predicate
def acts_for_member(user: Any, member: Any) -> bool:
    return member is not None and may_act_for_member(user, member)


rules.add_perm("matchmaking.manage", is_staff)
rules.add_perm("matchmaking.act_for_member", acts_for_member)
rules.add_perm("matchmaking.act_for_community", acts_for_community)
