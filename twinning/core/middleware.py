"""Per-request context from the association's settings: its time zone and its languages."""

import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from twinning.core.models import Association
from twinning.core.services import get_association


class AssociationMiddleware:
    """Activates the association's time zone and offers only its languages (before
    LocaleMiddleware, which reads `request.association_languages` through the language list)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            association = get_association()
        except DatabaseError:  # the site still answers (healthz says 503), with defaults
            association = Association()
        request.association = association  # type: ignore[attr-defined]
        try:
            timezone.activate(zoneinfo.ZoneInfo(association.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class AssociationLanguageMiddleware:
    """After LocaleMiddleware: a language the association does not offer falls back to its
    first language, so visitors never get a half-translated site it did not choose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = list(getattr(request, "association", Association()).languages or [])
        if offered and translation.get_language() not in offered:
            translation.activate(offered[0])
            request.LANGUAGE_CODE = offered[0]  # type: ignore[attr-defined]
        return self.get_response(request)


# URL parameters that carry a secret link's key (invitations, consent, unsubscribe, password
# reset): whoever holds the link sees someone's data, so the page is never stored either.
SECRET_LINK_PARAMETERS = frozenset({"token", "signed", "uidb64"})


def carries_personal_data(request: HttpRequest) -> bool:
    """Whether the answer to this request may show someone's data (HDR-4): the request came with
    a session (a signed-in user, or a visitor part-way through a form), with API credentials,
    or through a secret link."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    if getattr(request, "session", None) is not None and request.session.modified:
        return True  # the session starts with this answer (sign-in, a form's first step)
    match = request.resolver_match
    return match is not None and not SECRET_LINK_PARAMETERS.isdisjoint(match.kwargs)


class NoStoreMiddleware:
    """HDR-4 at one place: every answer that may show personal data is `Cache-Control:
    private, no-store`, so neither a shared proxy nor the browser's back button keeps it.
    An answer its view declared `public` (the map data, the public logo) is the same for
    everyone and keeps its caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        declared_public = "public" in response.get("Cache-Control", "")
        if not declared_public and carries_personal_data(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


NUL = "\x00"
NUL_REFUSED = _(
    "What you sent contains a NUL character (code 0), which no text here may hold. Remove it "
    "(it often comes from copying out of another program) and try again."
)


def _nul_in_json(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(NUL in key or _nul_in_json(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_nul_in_json(item) for item in value)
    return False


NUMBER_TOO_LARGE = _(
    "A number in what you sent is too large: no value here can be above 9223372036854775807."
)
LARGEST_INTEGER = 2**63 - 1  # the widest integer column of every database we run on


def _too_large(value: str) -> bool:
    """A whole number no database column holds: SQLite cannot even compare with it (a choice
    of one object by its number would answer 500), so it is refused like a NUL."""
    digits = value.strip().lstrip("+-")
    return len(digits) > 18 and digits.isdigit() and int(digits) > LARGEST_INTEGER


def refused_input(request: HttpRequest) -> tuple[list[str], Promise] | None:
    """Where the request carries input no view can take (INPUT-7), as an error location
    (["query", name], ["form", name], ["path"], ["body"]) and the reason, or None.

    A NUL character: PostgreSQL refuses it in text, so it would answer 500 there, and SQLite
    would cut the text at it. A whole number beyond 64 bits in the query string (and, on
    SQLite, in a form field)."""
    if NUL in request.path:
        return ["path"], NUL_REFUSED
    # Form fields can hold long digit strings that are not numbers (a 20-digit bank account
    # number); PostgreSQL compares any number with a key, SQLite cannot (a choice field's
    # lookup would answer 500), so form values are checked only there.
    numbers_checked = {"query": True, "form": connection.vendor == "sqlite"}
    for source, data in (("query", request.GET), ("form", request.POST)):
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return [source, key.replace(NUL, "")], NUL_REFUSED
            if numbers_checked[source] and any(_too_large(value) for value in values):
                return [source, key], NUMBER_TOO_LARGE
    body = request.body if request.content_type == "application/json" else b""
    if NUL.encode() in body or b"\\u0000" in body.lower():  # raw, or escaped in a string
        try:
            if _nul_in_json(json.loads(body)):
                return ["body"], NUL_REFUSED
        except ValueError:
            return None  # not JSON: the API says so itself
    return None


class RefuseNulMiddleware:
    """INPUT-7 at one place: a request with a NUL character in its path, query string, form
    fields or JSON body, or a number too large for any database, is refused before any view
    runs: 400 with a page saying why, or, for the API, 422 with its usual validation body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A body too big or with too many fields raises here as it would in the view: 400.
        refused = refused_input(request)
        if refused is None:
            return self.get_response(request)
        location, reason = refused
        if request.path.startswith(reverse("api:api-root")):
            body = {"detail": [{"loc": location, "msg": str(reason), "type": "value_error"}]}
            return JsonResponse(body, status=422)
        return render(request, "400.html", {"reason": reason}, status=400)
