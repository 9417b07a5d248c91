"""Public pages of the registry: home, the community directory and its exports, community and
country pages and statistics (the list of communities seeking a partner is matchmaking's).
Anyone may read them."""

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.core import maps
from twinning.core.charts import bar_chart_svg
from twinning.core.paging import paginate
from twinning.network import exports, mapdata, queries
from twinning.network.models import Community, Country, Partnership, Region


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    totals = queries.network_stats()["totals"]
    # Higher apps add their panels (the awards' featured winner) through core.panels (C3).
    return render(request, "network/home.html", {"totals": totals})


@require_safe
def community_list(request: HttpRequest) -> HttpResponse:
    filters = queries.DirectoryFilters.from_query(request.GET)
    page = paginate(request, queries.directory_pages(filters))
    context = {
        "filters": filters,
        "page_obj": page,
        "export_query": urlencode(filters.as_query()),
        # Called by the template only when its cached <option> list is stale.
        "countries": queries.directory_countries,
        "registry_version": queries.registry_fingerprint(),
        "regions": Region.choices,
        "kinds": Community.Kind.choices,
        "statuses": Partnership.Status.choices,
    }
    template = "network/community_list.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template += "#results"  # the filter form swaps in only the results
    return render(request, template, context)


def _export_response(request: HttpRequest, content: Any, content_type: str, name: str) -> Any:
    filters = queries.DirectoryFilters.from_query(request.GET)
    rows = exports.export_rows(queries.filtered_communities(filters))
    response = StreamingHttpResponse(content(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def community_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _export_response(
        request, exports.csv_lines, "text/csv; charset=utf-8", "communities.csv"
    )


@require_safe
def community_export_geojson(request: HttpRequest) -> StreamingHttpResponse:
    return _export_response(
        request, exports.geojson_chunks, "application/geo+json", "communities.geojson"
    )


@require_safe
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community.objects.select_related("country"), slug=slug)
    partnerships = queries.community_partnerships(community)
    map_svg = None
    if community.has_point:
        partners = [row["partner"] for row in partnerships if row["partner"].has_point]
        map_svg = maps.cached_community_map_svg(
            maps.Place(community.name, community.latitude, community.longitude),  # type: ignore[arg-type]
            [maps.Place(p.name, p.latitude, p.longitude) for p in partners],  # type: ignore[arg-type]
        )
    flagged = community.location_status not in {
        Community.LocationStatus.OK,
        Community.LocationStatus.UNCHECKED,
    }
    context = {
        "community": community,
        "partnerships": partnerships,
        "members": queries.community_members(community),
        "map_svg": map_svg,
        "registry_version": mapdata.map_data_version(),
        "show_location_notice": flagged and request.user.has_perm("network.review_locations"),
    }
    return render(request, "network/community_detail.html", context)


@require_safe
def country_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/country_list.html", {"regions": queries.countries_by_region()})


@require_safe
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.lower():  # one address per country: /countries/fr/, not /countries/FR/
        raise Http404
    country = get_object_or_404(Country, code=code.upper())
    page = paginate(request, queries.country_communities(country))
    context = {
        "country": country,
        "figures": queries.country_figures(country),
        "page_obj": page,
        "region_label": Region(country.region).label if country.region in Region.values else "",
    }
    return render(request, "network/country_detail.html", context)


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    figures = queries.stats_for_display()
    chart = bar_chart_svg(
        [(row["name"], row["count"]) for row in figures["top_countries"]],
        title=_("Top countries by number of partnerships"),
    )
    largest_region = max((row["count"] for row in figures["by_region"]), default=0)
    context = {"figures": figures, "chart": chart, "largest_region": largest_region}
    return render(request, "network/stats.html", context)
