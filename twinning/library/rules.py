"""Who may do what in the library (C11): staff manage resources, topics and statistics;
opening a resource follows its access level (library/access.py, from good standing)."""

from typing import Any

import rules

from twinning.core.authz import is_staff
from twinning.library.access import access_for, may_open


@rules.predicate
def may_open_resource(user: Any, resource: Any) -> bool:
    return resource is not None and may_open(access_for(user), resource)


rules.add_perm("library.manage", is_staff)
rules.add_perm("library.open_resource", may_open_resource)
