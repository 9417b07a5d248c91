"""Panels a program adds to a page of a lower app (C3: the page's app never imports the
program). The page's template names a slot and passes its object; each registered provider
returns a `Panel` (a template and its context) or None when it has nothing to show, so a page
without anything of that program shows nothing at all.

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
_PROVIDERS: dict[str, list[Provider]] = {}


def register_panel(slot: str, provider: Provider) -> None:
    """Add `provider(**objects) -> Panel | None` to `slot`. Registering twice keeps one."""
    providers = _PROVIDERS.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def panels_for(slot: str, **objects: Any) -> list[Panel]:
    """Every provider's panel for `slot`, in the order registered (those with nothing left
    out)."""
    panels = []
    for provider in _PROVIDERS.get(slot, []):
        try:
            panel = provider(**objects)
        except Exception:
            logger.exception("panel provider %r of %s failed", provider, slot)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
