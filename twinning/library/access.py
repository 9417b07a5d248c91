"""Who may open what in the library, computed from good standing on each request.

A committee admin opens member-only resources while one of the organisations they run is in
good standing (`members.standing`). Nothing here is cached beyond one request
(`request_access` keeps the answer on the request object only): the day a membership lapses,
member-only resources close, and the pages say why and link to the renewal page."""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from twinning.core.authz import is_verified_staff
from twinning.members.standing import is_in_good_standing
from twinning.network.models import Member


@dataclass(frozen=True)
class Access:
    is_staff: bool = False
    # The member organisations the user runs that are in good standing, and the others.
    good: list[Member] = field(default_factory=list)
    lapsed: list[Member] = field(default_factory=list)

    @property
    def is_member(self) -> bool:
        return bool(self.good)

    @property
    def member(self) -> Member | None:
        """The organisation a download is counted for: one in good standing first."""
        runs = self.good or self.lapsed
        return runs[0] if runs else None


ANONYMOUS = Access()


def access_for(user: Any) -> Access:
    """The user's access now, from their organisations' standing (a few queries)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    good: list[Member] = []
    lapsed: list[Member] = []
    for member in Member.objects.administered_by(user).order_by("name"):
        (good if is_in_good_standing(member) else lapsed).append(member)
    return Access(is_staff=is_verified_staff(user), good=good, lapsed=lapsed)


def request_access(request: HttpRequest) -> Access:
    """`access_for(request.user)`, computed once per request."""
    cached = getattr(request, "_library_access", None)
    if cached is None:
        cached = access_for(request.user)
        request._library_access = cached  # type: ignore[attr-defined]  # this request only
    return cached


def open_levels(access: Access) -> list[str]:
    """The access levels (Resource.Access values) `access` opens."""
    levels = ["public"]
    if access.is_member or access.is_staff:
        levels.append("members")
    if access.is_staff:
        levels.append("staff")
    return levels


def may_open(access: Access, resource: Any) -> bool:
    return resource.access in open_levels(access)
