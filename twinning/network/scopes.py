"""The scopes of API tokens, in one registry (twinning/network/tokens.py).

A scope names what a machine client may do through the API; each endpoint declares the one
it needs (`tokens.token_or_session(scope)`, `tokens.public_or_token(scope)`). A committee
token acts for one member organisation; a staff token for the association. Each scope says
which kind of token may hold it, so a form offers only what makes sense and the service
refuses the rest.

The registry's own scopes are below. A later app adds its own with `register_scope(...)` at
import of its `scopes`/`api` module, which its `AppConfig.ready()` imports, before any form
or request reads the registry.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scope:
    code: str  # "area:verb", e.g. "member:write"
    label: Promise | str  # what it allows, in the reader's language
    committee: bool  # a committee token may hold it
    staff: bool  # a staff token may hold it
    implies: tuple[str, ...] = field(default=())  # scopes it includes (write includes read)


_SCOPES: dict[str, Scope] = {}


def register_scope(scope: Scope) -> Scope:
    """Add a scope to the registry (once; registering the same code twice is a mistake)."""
    if scope.code in _SCOPES and _SCOPES[scope.code] != scope:
        raise ValueError(f"the scope {scope.code!r} is already registered")
    _SCOPES[scope.code] = scope
    return scope


def get_scope(code: str) -> Scope | None:
    return _SCOPES.get(code)


def all_scopes() -> list[Scope]:
    return sorted(_SCOPES.values(), key=lambda scope: scope.code)


def scope_choices(*, committee: bool | None = None) -> list[tuple[str, str]]:
    """(code, "code: label") pairs for a form: for a committee token, a staff token, or both
    (None)."""
    return [
        (scope.code, f"{scope.code}: {scope.label}")
        for scope in all_scopes()
        if committee is None or (scope.committee if committee else scope.staff)
    ]


def granted(codes: Iterable[str]) -> set[str]:
    """The scopes a token holding `codes` has, with the ones they imply."""
    result: set[str] = set()
    pending = list(codes)
    while pending:
        code = pending.pop()
        if code not in result:
            result.add(code)
            scope = _SCOPES.get(code)
            pending.extend(scope.implies if scope else ())
    return result


REGISTRY_READ = register_scope(
    Scope(
        "registry:read",
        _("read the registry: countries, communities and partnerships"),
        committee=True,
        staff=True,
    )
)
MEMBER_READ = register_scope(
    Scope(
        "member:read",
        _("read the member organisation's profile and its partnership proposals"),
        committee=True,
        staff=False,
    )
)
MEMBER_WRITE = register_scope(
    Scope(
        "member:write",
        _("change the member organisation's public profile and propose partnerships"),
        committee=True,
        staff=False,
        implies=("member:read",),
    )
)
