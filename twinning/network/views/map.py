"""The world map of partnerships: the page, and the data it draws (built once, cached)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_safe

from twinning.network.mapdata import get_map_payload, map_data_version
from twinning.network.models import Partnership

MAP_DATA_MAX_AGE = 300
_SLUG_PLACEHOLDER = "__slug__"


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """Public. The page is a shell; map.js fetches `map_data` and draws it."""
    context = {
        # The script replaces the placeholder by each community's slug.
        "community_url_template": reverse(
            "network:community_detail", kwargs={"slug": _SLUG_PLACEHOLDER}
        ),
        "slug_placeholder": _SLUG_PLACEHOLDER,
        "selected_slug": request.GET.get("community", "")[:220],
        "statuses": Partnership.Status.choices,
    }
    return render(request, "network/map.html", context)


@require_safe
def map_data(request: HttpRequest) -> HttpResponse:
    """Public. Compact JSON of placed communities and their partnerships, gzipped when the
    client accepts it, with a weak ETag so a revalidation costs one aggregate query."""
    version = map_data_version()
    etag = f'W/"{version}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        payload = get_map_payload(version)
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        response = HttpResponse(
            payload.gzipped if gzipped else payload.body,
            content_type="application/json; charset=utf-8",
        )
        if gzipped:
            response["Content-Encoding"] = "gzip"
    else:
        response = not_modified
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAP_DATA_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
