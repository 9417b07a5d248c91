"""Views with no domain: each role's home and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from twinning.core.navigation import menus


@never_cache
@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Where everyone lands after signing in: for each of their roles what to do next, with
    counts, and the links to every page of the role (the apps contribute both)."""
    found = menus(request, with_tasks=True)
    # The layout's role menus are these same menus: given here, the context processor's lazy
    # copy is never worked out a second time on this page.
    return render(request, "core/home.html", {"menus": found, "role_menus": found})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
