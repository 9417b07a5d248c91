"""Content blocks that higher apps add to the pages of lower ones (C3): the public home page
(`network`) shows the awards' featured winner, a committee's dashboard (`members`) its
honours, without either app importing `awards`.

core knows no app, so each app registers its providers in its AppConfig.ready, as the
navigation and the e-mail registry work:

    register_block("home", key="awards.featured", order=50, provider=featured_block)

A provider takes the page's own keyword arguments (`home`: none; `committee_dashboard`:
`member`) and returns a `Block` (a template and its context, rendered with `{% include …
only %}`) or None to show nothing. A provider must cost a constant number of queries (the
pages' query guards count them). A failing provider is logged and skipped, so one broken app
never takes a page down."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

HOME = "home"
COMMITTEE_DASHBOARD = "committee_dashboard"


@dataclass(frozen=True)
class Block:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[..., Block | None]


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    provider: Provider


_BLOCKS: dict[str, list[_Registered]] = {}


def register_block(page: str, *, key: str, order: int, provider: Provider) -> None:
    """Add a provider to `page`; registering the same key again replaces it."""
    blocks = [b for b in _BLOCKS.get(page, []) if b.key != key]
    blocks.append(_Registered(key=key, order=order, provider=provider))
    _BLOCKS[page] = sorted(blocks, key=lambda b: (b.order, b.key))


def blocks_for(page: str, **kwargs: Any) -> list[Block]:
    """The blocks of `page` in their order, each provider called with the page's arguments."""
    found = []
    for registered in _BLOCKS.get(page, []):
        try:
            block = registered.provider(**kwargs)
        except Exception:
            logger.exception("block provider %r of %r failed", registered.key, page)
            continue
        if block is not None:
            found.append(block)
    return found
