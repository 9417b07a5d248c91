"""Template context every page needs: the association and the languages it offers."""

from django.conf import settings
from django.http import HttpRequest

from twinning.core.services import get_association


def association(request: HttpRequest) -> dict:
    assoc = getattr(request, "association", None)
    if assoc is None:
        assoc = get_association()
    offered = [(code, name) for code, name in settings.LANGUAGES if code in (assoc.languages or [])]
    return {"association": assoc, "site_languages": offered or settings.LANGUAGES}


def navigation(request: HttpRequest) -> dict:
    """The role menus of base.html, worked out only if the page shows them (JSON views and
    e-mails never do)."""
    from django.utils.functional import SimpleLazyObject

    from twinning.core.navigation import menus

    return {"role_menus": SimpleLazyObject(lambda: menus(request))}
