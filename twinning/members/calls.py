"""Open calls and deadlines of the programs, for the members' dashboard. Programs sit above
members (showcase, awards, grants), so they register a provider here in their AppConfig.ready;
members never imports them (C3).

    from twinning.members.calls import OpenCall, register_open_calls

    def showcase_calls(member, today):
        return [OpenCall(title="Young Artists Showcase 2027", url="/showcase/2027/",
                         deadline=edition.closes_at.date(), program="Showcase")]

    register_open_calls(showcase_calls)
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenCall:
    title: str
    url: str
    deadline: datetime.date | None
    program: str = ""
    action_needed: bool = False  # shown under "what needs your action" too


Provider = Callable[[Any, datetime.date], list[OpenCall]]
_PROVIDERS: list[Provider] = []


def register_open_calls(provider: Provider) -> None:
    """Add a function (member, today) -> list[OpenCall]. Registering twice keeps one."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_open_calls(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def open_calls_for(member: Any, today: datetime.date) -> list[OpenCall]:
    """Every provider's open calls for `member`, soonest deadline first. A failing provider is
    logged and skipped, so one broken program never takes the dashboard down."""
    calls: list[OpenCall] = []
    for provider in _PROVIDERS:
        try:
            calls.extend(provider(member, today))
        except Exception:
            logger.exception("open-calls provider %r failed", provider)
    return sorted(calls, key=lambda c: (c.deadline or datetime.date.max, c.title))
