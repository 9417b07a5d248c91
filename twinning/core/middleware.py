"""Per-request context from the association's settings: its time zone and its languages."""

import zoneinfo
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
