"""The exchange's panels on other apps' pages (twinning/core/panels.py): reciprocity on a
community's public page, a member's portal page and staff's partnership page; the network's
totals on `/impact/`. Counts only, never a name; a page without any exchange shows nothing
(no empty table)."""

from typing import Any

from django.utils.translation import gettext as _

from twinning.core.panels import Panel, register_panel
from twinning.exchanges.services import reciprocity


def _table(rows: list[reciprocity.PartnershipReciprocity]) -> Panel | None:
    if not rows:
        return None
    return Panel(
        "exchanges/_reciprocity.html", {"rows": rows, "heading": _("High-school exchange")}
    )


def community_panel(*, community: Any) -> Panel | None:
    return _table(reciprocity.community_reciprocity(community))


def member_panel(*, member: Any) -> Panel | None:
    return _table(reciprocity.member_reciprocity(member))


def partnership_panel(*, partnership: Any) -> Panel | None:
    return _table(reciprocity.partnership_reciprocity([partnership]))


def impact_panel() -> Panel | None:
    years = reciprocity.network_reciprocity()
    if not years:
        return None
    return Panel("exchanges/_reciprocity_network.html", {"years": years})


def register() -> None:
    register_panel("network.community", community_panel)
    register_panel("network.member", member_panel)
    register_panel("network.partnership", partnership_panel)
    register_panel("activities.impact", impact_panel)
