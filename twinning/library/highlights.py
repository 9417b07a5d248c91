"""Featured resources on the public home page and in committees' dashboards, as panels
(`core.panels`, slots `network.home` and `members.dashboard`): what the visitor, or the
committee, may open."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from twinning.core.navigation import url
from twinning.core.panels import Panel, register_panel
from twinning.library.access import ANONYMOUS, Access, request_access
from twinning.library.models import Resource

SHOWN = 6


@dataclass(frozen=True)
class Highlight:
    title: str
    url: str
    summary: str = ""
    note: str = ""  # a short line under the title: the kind and the language


@dataclass(frozen=True)
class HighlightBlock:
    heading: str
    items: list[Highlight] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def _block(access: Access) -> HighlightBlock:
    resources = Resource.objects.open_to(access).featured().order_by("-updated_at")[:SHOWN]
    items = [
        Highlight(
            title=resource.title,
            url=resource.get_absolute_url(),
            summary=resource.summary,
            note=f"{resource.get_kind_display()} · {resource.get_language_display()}",
        )
        for resource in resources
    ]
    return HighlightBlock(
        heading=_("From the resource library"),
        items=items,
        more_url=url("library:resource_list"),
        more_label=_("Search every toolkit and publication"),
    )


def _panel(block: HighlightBlock) -> Panel | None:
    return Panel("library/_featured.html", {"block": block}) if block.items else None


def for_home(request: Any, **_page: Any) -> Panel | None:
    return _panel(_block(request_access(request)))


def for_committee(member: Any, **_page: Any) -> Panel | None:
    from twinning.members.standing import is_in_good_standing

    access = Access(good=[member]) if is_in_good_standing(member) else ANONYMOUS
    return _panel(_block(access))


def register() -> None:
    register_panel("network.home", for_home, order=60)
    register_panel("members.dashboard", for_committee, order=60)
