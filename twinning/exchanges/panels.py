"""The exchange's panels on other apps' pages (twinning/core/panels.py): reciprocity on a
community's public page and on staff's partnership page, the network's totals on `/impact/`.
Counts only, never a name; a page without any exchange shows nothing (no empty table)."""

from typing import Any

from django.utils.translation import gettext as _

from twinning.core.panels import Panel, register_panel
from twinning.exchanges.services import reciprocity

TEMPLATE = "exchanges/_reciprocity.html"


def community_panel(*, community: Any) -> Panel | None:
    rows = reciprocity.community_reciprocity(community)
    if not rows:
        return None
    return Panel(
        TEMPLATE, {"rows": rows, "first": community.name, "heading": _("High-school exchange")}
    )


def partnership_panel(*, partnership: Any) -> Panel | None:
    rows = reciprocity.partnership_reciprocity([partnership])
    if not rows:
        return None
    return Panel(
        TEMPLATE,
        {"rows": rows, "first": partnership.community_a.name, "heading": _("High-school exchange")},
    )


def impact_panel() -> Panel | None:
    years = reciprocity.network_reciprocity()
    if not years:
        return None
    return Panel("exchanges/_reciprocity_network.html", {"years": years})


def register() -> None:
    register_panel("network.community", community_panel)
    register_panel("network.partnership", partnership_panel)
    register_panel("activities.impact", impact_panel)
