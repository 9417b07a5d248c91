"""Who may do what in matchmaking (C11): staff list communities abroad and act for any
profile; a committee admin keeps their current member's communities' profiles and expresses
interest for them (access.py says why the rule is the membership's alone)."""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.matchmaking.access import may_act_for


@rules.predicate
def acts_for_community(user: Any, community: Any) -> bool:
    return community is not None and may_act_for(user, community)


rules.add_perm("matchmaking.manage", is_staff)
rules.add_perm("matchmaking.act_for_community", acts_for_community)
