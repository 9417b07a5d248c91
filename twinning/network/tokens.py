"""API tokens for machine clients: the secret, how a request presents it, and what it may do.

A token reads `twn_<key_id>_<secret>`: the prefix `twn_` lets secret scanners and people
recognise it, `key_id` (10 characters, stored and shown in lists) finds its row, and the
secret (32 random bytes) is never stored: the row keeps the SHA-256 of the whole token. A
fast hash is enough for 256 random bits (nothing to guess), and it does not depend on
SECRET_KEY, so rotating that key does not void every token. The whole token is shown once, by
the page that created it (`services.create_api_token` returns it).

On the API, `Authorization: Bearer <token>` is accepted beside the session on the endpoints
that declare a scope (`**token_or_session(MEMBER_WRITE)` in the route decorator; public ones
`**public_or_token(REGISTRY_READ)`; the scopes are in twinning/network/scopes.py):

- an unknown, malformed, revoked or expired token, or one whose owner may no longer act for
  its member (no longer a committee admin of it, no longer staff, deactivated) answers 401;
- a token without the scope the endpoint declares answers 403, saying which scope;
- otherwise the request runs as the token's owner (`request.user`), narrowed to the token's
  member (`request.api_token`; `acting_members()` below): another committee's objects answer
  404 like missing ones (ACC-2). A staff owner counts as verified: the token was made in a
  session that passed the second factor, and it stands for that session within its scopes.

Every check runs on every request, so a revocation or a removed admin takes effect on the next
one (ACC-5).
"""

import datetime
import hmac
import secrets
import string
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, django_auth

from twinning.core.tokens import hash_token
from twinning.network.models import ApiToken, Member
from twinning.network.scopes import Scope, granted

PREFIX = "twn_"
KEY_ID_LENGTH = 10
_KEY_ALPHABET = string.ascii_lowercase + string.digits
# Writing last_used_at once a minute is precise enough for "is this token still in use?".
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
MAX_LIFETIME = datetime.timedelta(days=366)


def new_token() -> tuple[str, str, str]:
    """(key_id, the whole token, its hash) for a new token."""
    key_id = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_ID_LENGTH))
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return key_id, token, hash_token(token)


def may_act(token: ApiToken) -> bool:
    """The owner may still act for the token's member (or, for a staff token, as staff)."""
    owner = token.owner
    if not owner.is_active:
        return False
    if owner.is_staff:
        return True
    return token.member is not None and token.member.admins.filter(pk=owner.pk).exists()


def find_token(raw: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The usable token `raw` is, or None (unknown, malformed, revoked, expired, or its owner
    may no longer use it)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    key_id, _sep, secret = raw[len(PREFIX) :].partition("_")
    if len(key_id) != KEY_ID_LENGTH or not secret:
        return None
    token = ApiToken.objects.select_related("owner", "member").filter(key_id=key_id).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        return None
    if token.state(now) != "active" or not may_act(token):
        return None
    return token


def _mark_used(token: ApiToken, now: datetime.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenRefused(AuthenticationError):
    """401: the token is not (or no longer) valid."""

    www_authenticate = 'Bearer error="invalid_token"'

    def __init__(self) -> None:
        super().__init__(
            401, _("This API token is unknown, revoked or expired. Ask for a new one.")
        )


class ScopeMissing(AuthorizationError):
    """403: a valid token without the scope this operation needs."""

    def __init__(self, scope: str) -> None:
        self.www_authenticate = f'Bearer error="insufficient_scope", scope="{scope}"'
        super().__init__(
            403,
            _(
                "This API token does not have the scope %(scope)s, which this operation "
                "needs. Create a token with that scope."
            )
            % {"scope": scope},
        )


class BearerToken(HttpBearer):
    """`Authorization: Bearer twn_...` holding `scope` (see the module docstring)."""

    openapi_bearerFormat = "twn_<key>_<secret>"  # noqa: N815 (ninja reads openapi_<OpenAPI key>)
    openapi_description = (
        "An API token created in the committee portal (or by staff). Each operation lists the "
        "scope it needs; a token without it gets 403, an unknown, revoked or expired one 401."
    )

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        now = timezone.now()
        found = find_token(token.strip(), now=now)
        if found is None:
            raise TokenRefused
        if self.scope not in granted(found.scopes):
            raise ScopeMissing(self.scope)
        _mark_used(found, now)
        owner = found.owner
        # django-otp's attribute, set as its middleware does for a verified session (see the
        # module docstring for why a staff owner's token counts as one).
        owner.is_verified = lambda: True  # type: ignore[attr-defined]
        request.user = owner
        request.api_token = found  # type: ignore[attr-defined]
        return found


def _public(request: HttpRequest) -> bool:
    return True


# ninja lists an operation's auth schemes without scopes and cannot say "or no auth at all";
# the operation carries its real requirements under this key until `declared_security` moves
# them into place (twinning/api.py).
_SECURITY = "x-twinning-security"


def declared_security(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI schema with each operation's security as its endpoint declared it: the
    scope a token needs (OpenAPI 3.1 lets non-OAuth schemes list required roles) and `{}`
    where no authentication is needed."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and _SECURITY in operation:
                operation["security"] = operation.pop(_SECURITY)
    return schema


def token_or_session(scope: Scope) -> dict[str, Any]:
    """An endpoint's `auth` for signed-in users: a Bearer token with `scope`, or the session
    (with its CSRF check on writes). The token comes first: a request with a token and no
    session cookie must not be refused by the session's CSRF check."""
    return {
        "auth": [BearerToken(scope.code), django_auth],
        "openapi_extra": {_SECURITY: [{"BearerToken": [scope.code]}, {"SessionAuth": []}]},
    }


def public_or_token(scope: Scope) -> dict[str, Any]:
    """An endpoint's `auth` when anyone may call it: without a token, or with a valid one that
    holds `scope` (a revoked token is refused here too, so a client learns of it at once)."""
    return {
        "auth": [BearerToken(scope.code), _public],
        "openapi_extra": {_SECURITY: [{}, {"BearerToken": [scope.code]}]},
    }


def acting_members(request: HttpRequest) -> QuerySet[Member]:
    """The members this request may act for: the token's member (none for a staff token), or
    those the signed-in user administers."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return (
            Member.objects.filter(pk=token.member_id) if token.member_id else Member.objects.none()
        )
    return Member.objects.administered_by(request.user)
