"""What matchmaking adds to lower apps' pages (core.panels): a community's seeking profile
on its public page, the seeking list on the home page, and the committee dashboard's link to
its matchmaking page; on /impact/, the expertise exchange's peer learning (exchanges,
policies adopted, people trained). One query each at most."""

from typing import Any

from django.db.models import Count, Sum

from twinning.core.panels import Panel, register_panel
from twinning.matchmaking.models import ExpertiseMatch, SeekingProfile


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


def impact_panel(**_: Any) -> Panel | None:
    figures = ExpertiseMatch.objects.filter(recorded_at__isnull=False).aggregate(
        exchanges=Count("pk"), policies=Sum("policies_adopted"), trained=Sum("people_trained")
    )
    if not figures["exchanges"]:
        return None
    return Panel("matchmaking/_impact_panel.html", {"figures": figures})


def register() -> None:
    register_panel("network.community", community_panel, order=50)
    register_panel("network.home", home_panel, order=50)
    register_panel("members.dashboard", dashboard_panel, order=50)
    register_panel("activities.impact", impact_panel, order=60)
