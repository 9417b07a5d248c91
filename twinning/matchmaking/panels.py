"""What matchmaking adds to lower apps' pages (core.panels): a community's seeking profile
on its public page, the seeking list on the home page, and the committee dashboard's link to
its matchmaking page. One query each at most. (The expertise exchange's outcomes are
activities of their own, with their indicators, so /impact/ shows them without a panel.)"""

from typing import Any

from twinning.core.panels import Panel, register_panel
from twinning.matchmaking.models import SeekingProfile


def community_panel(*, community: Any, **_: Any) -> Panel | None:
    profile = SeekingProfile.objects.open().filter(community=community).first()
    if profile is None:
        return None
    return Panel("matchmaking/_community_panel.html", {"profile": profile})


def home_panel(**_: Any) -> Panel | None:
    return Panel("matchmaking/_home_panel.html", {"count": SeekingProfile.objects.open().count()})


def dashboard_panel(*, member: Any, **_: Any) -> Panel | None:
    open_count = SeekingProfile.objects.open().of_member(member).count()
    return Panel("matchmaking/_dashboard_panel.html", {"member": member, "open_count": open_count})


def register() -> None:
    register_panel("network.community", community_panel, order=50)
    register_panel("network.home", home_panel, order=50)
    register_panel("members.dashboard", dashboard_panel, order=50)
