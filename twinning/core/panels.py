"""Panels a program adds to a page of a lower app (C3: the page's app never imports the
program): the exchange's reciprocity on community, partnership and impact pages, the awards'
featured winner on the public home page and a committee's honours on its dashboard. The
page's template names a slot and passes its object; each registered provider returns a
`Panel` (a template and its context) or None when it has nothing to show, so a page without
anything of that program shows nothing at all.

    # exchanges/apps.py, in ready():
    register_panel("network.community", community_exchange_panel)

    {# network/community_detail.html #}
    {% load panels %}{% panels "network.community" community=community %}

A provider does its reads itself (a queryset method or service read, a fixed number of
queries); a failing provider is logged and skipped, so one program never takes a page down."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[..., Panel | None]
_PROVIDERS: dict[str, list[tuple[int, Provider]]] = {}


def register_panel(slot: str, provider: Provider, *, order: int = 100) -> None:
    """Add `provider(**objects) -> Panel | None` to `slot`, shown in `order` (then in the
    order registered). Registering the same provider again keeps one."""
    providers = [(o, p) for o, p in _PROVIDERS.get(slot, []) if p is not provider]
    providers.append((order, provider))
    _PROVIDERS[slot] = sorted(providers, key=lambda item: item[0])


def panels_for(slot: str, **objects: Any) -> list[Panel]:
    """Every provider's panel for `slot`, in their order (those with nothing left out)."""
    panels = []
    for _order, provider in _PROVIDERS.get(slot, []):
        try:
            panel = provider(**objects)
        except Exception:
            logger.exception("panel provider %r of %s failed", provider, slot)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
