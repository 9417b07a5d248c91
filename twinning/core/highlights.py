"""Highlights the programs put on shared pages: the public home page ("home", given the
request) and the committee dashboard ("committee_dashboard", given the member). The pages'
apps sit below the programs, so each program registers a provider in its AppConfig.ready and
the pages render whatever blocks come back (`components/highlights.html`), as members.calls
does for open calls.

    from twinning.core.highlights import Highlight, HighlightBlock, register_highlights

    def featured(subject):
        return HighlightBlock(heading="Featured toolkits", items=[Highlight("Title", "/x/")])

    register_highlights("home", featured)
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)
PLACES = ("home", "committee_dashboard")


@dataclass(frozen=True)
class Highlight:
    title: str
    url: str
    summary: str = ""
    note: str = ""  # a short line under the title: a kind, a language, "members only"


@dataclass(frozen=True)
class HighlightBlock:
    heading: str
    items: list[Highlight] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


Provider = Callable[[Any], HighlightBlock | None]
_PROVIDERS: dict[str, list[Provider]] = {place: [] for place in PLACES}


def register_highlights(place: str, provider: Provider) -> None:
    """Add a provider (subject -> block or None) to a place. Registering twice keeps one."""
    if provider not in _PROVIDERS[place]:
        _PROVIDERS[place].append(provider)


def highlights_for(place: str, subject: Any) -> list[HighlightBlock]:
    """Every provider's block for `subject`, empty blocks left out. A failing provider is
    logged and skipped, so one broken program never takes the page down."""
    blocks = []
    for provider in _PROVIDERS[place]:
        try:
            block = provider(subject)
        except Exception:
            logger.exception("highlights provider %r failed", provider)
            continue
        if block is not None and block.items:
            blocks.append(block)
    return blocks
