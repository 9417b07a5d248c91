"""Featured resources on the public home page and in committees' dashboards
(core.highlights): what the visitor, or the committee, may open."""

from typing import Any

from django.utils.translation import gettext as _

from twinning.core.highlights import Highlight, HighlightBlock, register_highlights
from twinning.core.navigation import url
from twinning.library.access import ANONYMOUS, Access, request_access
from twinning.library.models import Resource

SHOWN = 6


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


def for_home(request: Any) -> HighlightBlock:
    return _block(request_access(request))


def for_committee(member: Any) -> HighlightBlock:
    from twinning.members.standing import is_in_good_standing

    access = Access(good=[member]) if is_in_good_standing(member) else ANONYMOUS
    return _block(access)


def register() -> None:
    register_highlights("home", for_home)
    register_highlights("committee_dashboard", for_committee)
