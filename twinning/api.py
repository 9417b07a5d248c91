"""The JSON API (django-ninja): one NinjaAPI, one router per app, schema at /api/openapi.json.

Endpoints need a signed-in session by default (`django_auth`, which also checks the CSRF
token on unsafe methods). Machine clients send an API token instead (`Authorization: Bearer`,
twinning/network/tokens.py): each endpoint declares the scope a token needs, and public ones
need none. The OpenAPI schema
(/api/openapi.json) and its browsable docs (/api/docs) are public on purpose: they describe
the API, not anyone's data.

Errors from the services speak the same shape as ninja's own validation errors:
a ValidationError answers 422 with {"detail": [{"loc": [...], "msg": ..., "type": ...}]},
and NotAllowed answers 404 like a missing object (C12).
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from twinning.core.authz import NotAllowed
from twinning.exchanges.api import router as exchanges_router
from twinning.matchmaking.api import router as matchmaking_router
from twinning.network.api import router as network_router
from twinning.network.tokens import ScopeMissing, TokenRefused, declared_security
from twinning.relief.api import router as relief_router


class TwinningAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """With each operation's security as declared (the scope its tokens need)."""
        return declared_security(super().get_openapi_schema(**kwargs))


api = TwinningAPI(
    title="Twinning API",
    version="1",
    description=(
        "The registry of a sister-city association: countries, communities and the "
        "partnerships between them (public, read-only, paginated 50 a page), and, for a "
        "signed-in committee admin, their own member organisations' profiles and partnership "
        "proposals (session authentication with Django's CSRF token on writes); for the "
        "association's staff, the high-school exchange's figures (no personal data). Machine "
        "clients send an API token, created in the committee portal, as `Authorization: "
        "Bearer twn_...`; each operation lists the scope the token needs under `security`, "
        "and a token acts for its own member organisation only."
    ),
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",  # public, like the schema itself (no docs_decorator)
    openapi_url="/openapi.json",
)
api.add_router("/", network_router)
api.add_router("/", matchmaking_router)
api.add_router("/", relief_router)
api.add_router("/", exchanges_router)


def _error_details(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
                "msg": message,
                "type": "validation_error",
            }
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "validation_error"} for message in error]


@api.exception_handler(ValidationError)
def service_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A service refused the input (C8): nothing changed; say why, field by field."""
    return api.create_response(request, {"detail": _error_details(error)}, status=422)


@api.exception_handler(NotAllowed)
def service_not_allowed(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    """What you may not touch does not exist (C12)."""
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(TokenRefused)
@api.exception_handler(ScopeMissing)
def token_refused(request: HttpRequest, error: TokenRefused | ScopeMissing) -> HttpResponse:
    """401 for a token that is not valid, 403 for one without the scope (RFC 6750)."""
    response = api.create_response(request, {"detail": error.message}, status=error.status_code)
    response["WWW-Authenticate"] = error.www_authenticate
    return response
