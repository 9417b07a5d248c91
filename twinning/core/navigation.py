"""Each role's home and navigation, contributed by the apps (UI-n: every page reachable by links).

core knows no app, so each app says what it adds in its `navigation.py` (imported by its
AppConfig.ready), as the outbox's e-mail registry works:

- `register_role(key, …, detect=…)`: how to tell that a request has the role. `detect`
  returns the role's *scopes*, a list of small JSON-able dicts (one per member organisation a
  committee admin runs, `[{}]` for staff), or `[]`. The scopes are kept in the session for a few
  minutes (and dropped after any POST), so the navigation costs no query on most pages.
- `register_section(role, …, facts=…, links=…, tasks=…)`: what an app adds to a role:
  `facts(request, scope)` adds JSON-able facts to a scope when roles are detected (for
  example the current edition's slug), `links(scope)` gives navigation links from the scope
  alone (no query), and `tasks(request, scope)` gives the home page's "what to do next" lines
  with their counts (queries allowed: it runs on the home page only).

The navigation in base.html shows one menu per role and scope; the home page
(`core:home`) shows the same links with each role's tasks above them."""

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

SESSION_KEY = "twinning_nav"
SCOPES_TTL_SECONDS = 300  # a role given by someone else shows up within five minutes

Scope = dict[str, Any]


@dataclass(frozen=True)
class Link:
    """A link in a role's menu or on its home; `count` is shown as a badge on the home page."""

    label: str
    url: str
    count: int | None = None
    hint: str = ""


@dataclass(frozen=True)
class Role:
    key: str
    order: int
    label: Callable[[Scope], str]
    detect: Callable[[HttpRequest], list[Scope]]
    # Roles read from the session alone (a guardian's link) are detected on every request.
    cached: bool = True


def _no_links(scope: Scope) -> list[Link]:
    return []


@dataclass(frozen=True)
class Section:
    role: str
    order: int
    links: Callable[[Scope], list[Link]]
    tasks: Callable[[HttpRequest, Scope], list[Link]] | None = None
    facts: Callable[[HttpRequest, Scope], Scope] | None = None


@dataclass
class Menu:
    """One role and scope as the templates show it."""

    role: str
    label: str
    links: list[Link]
    tasks: list[Link] = field(default_factory=list)


_ROLES: dict[str, Role] = {}
_SECTIONS: list[Section] = []


def register_role(
    key: str,
    *,
    order: int,
    label: Callable[[Scope], str],
    detect: Callable[[HttpRequest], list[Scope]],
    cached: bool = True,
) -> None:
    _ROLES[key] = Role(key=key, order=order, label=label, detect=detect, cached=cached)


def register_section(
    role: str,
    *,
    order: int,
    links: Callable[[Scope], list[Link]] | None = None,
    tasks: Callable[[HttpRequest, Scope], list[Link]] | None = None,
    facts: Callable[[HttpRequest, Scope], Scope] | None = None,
) -> None:
    section = Section(role=role, order=order, links=links or _no_links, tasks=tasks, facts=facts)
    # Registering the same (role, order) again replaces it (a module imported twice); another
    # app's section at the same place would silently take its links away: refused.
    for kept in _SECTIONS:
        if (kept.role, kept.order) == (role, order) and _origin(kept) != _origin(section):
            raise ImproperlyConfigured(
                f"Navigation: {_origin(section)} and {_origin(kept)} both register a section "
                f"for {role!r} at order {order}: choose another order."
            )
    _SECTIONS[:] = [s for s in _SECTIONS if (s.role, s.order) != (role, order)]
    _SECTIONS.append(section)
    _SECTIONS.sort(key=lambda s: s.order)


def _origin(section: Section) -> str:
    function = section.links if section.links is not _no_links else section.tasks
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def url(name: str, **kwargs: Any) -> str:
    """A menu link's address. Menus are built on every page from the scopes alone, so each
    address is reversed once per URL configuration and script prefix and then remembered
    (a staff menu holds about 40 links; bench/events.py)."""
    key = (
        name,
        tuple(sorted(kwargs.items())),
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
    )
    return _reversed(key)


@functools.lru_cache(maxsize=4096)
def _reversed(key: tuple[Any, ...]) -> str:
    name, kwargs = key[0], dict(key[1])
    return reverse(name, kwargs=kwargs or None, urlconf=key[3])


def _detect(request: HttpRequest, role: Role) -> list[Scope]:
    scopes = [dict(scope) for scope in role.detect(request)]
    for section in _SECTIONS:
        if section.role == role.key and section.facts is not None:
            for scope in scopes:
                scope.update(section.facts(request, scope))
    return scopes


def role_scopes(request: HttpRequest, *, fresh: bool = False) -> dict[str, list[Scope]]:
    """The request's roles and their scopes, from the session while they are recent."""
    user = getattr(request, "user", None)
    user_pk = user.pk if user is not None and user.is_authenticated else None
    session = getattr(request, "session", None)
    kept = session.get(SESSION_KEY) if session is not None else None
    if (
        fresh
        or not isinstance(kept, dict)
        or kept.get("user") != user_pk
        or time.time() - kept.get("at", 0) > SCOPES_TTL_SECONDS
    ):
        roles = {
            role.key: _detect(request, role)
            for role in _ROLES.values()
            if role.cached and user_pk is not None
        }
        kept = {"user": user_pk, "at": time.time(), "roles": roles}
        if session is not None and user_pk is not None:
            session[SESSION_KEY] = kept
    found = {key: scopes for key, scopes in kept["roles"].items() if key in _ROLES}
    for role in _ROLES.values():
        if not role.cached:
            found[role.key] = _detect(request, role)
    return {key: scopes for key, scopes in found.items() if scopes}


def forget_roles(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        del session[SESSION_KEY]


def menus(request: HttpRequest, *, with_tasks: bool = False) -> list[Menu]:
    """One menu per role and scope, in the roles' order; tasks only when asked (the home)."""
    scopes_by_role = role_scopes(request, fresh=with_tasks)
    result = []
    for role in sorted(_ROLES.values(), key=lambda r: r.order):
        for scope in scopes_by_role.get(role.key, []):
            sections = [s for s in _SECTIONS if s.role == role.key]
            links: list[Link] = []
            tasks: list[Link] = []
            for section in sections:
                try:
                    links.extend(section.links(scope))
                except NoReverseMatch:  # a scope kept from before a change of data
                    continue
                if with_tasks and section.tasks is not None:
                    tasks.extend(section.tasks(request, scope))
            result.append(Menu(role=role.key, label=role.label(scope), links=links, tasks=tasks))
    return result


def keeps_roles(view: Any) -> Any:
    """Mark a view whose writes never give or take a role (a scan at the door): its POSTs do
    not make the next page detect the roles again."""
    view.keeps_roles = True
    return view


class ForgetRolesMiddleware:
    """Any write may give or take a role (joining, registering, being made a judge): the next
    page detects the roles again, unless the view is marked with `keeps_roles`."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and not getattr(
            request, "_keeps_roles", False
        ):
            forget_roles(request)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if getattr(view, "keeps_roles", False):
            request._keeps_roles = True  # type: ignore[attr-defined]
