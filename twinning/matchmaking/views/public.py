"""The public list of communities seeking a partner (`/seeking/`): searchable by name and
text, filtered by country, region, field and language, with a self-drawn map of the page."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.core.maps import Place, cached_places_map_svg
from twinning.matchmaking.forms import SeekingSearchForm
from twinning.matchmaking.queries import seeking_profiles, seeking_rows
from twinning.network.models import Country

PER_PAGE = 30


@require_safe
def seeking_list(request: HttpRequest) -> HttpResponse:
    countries = list(
        Country.objects.filter(communities__seeking_profile__is_open=True)
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )
    form = SeekingSearchForm(request.GET or None, countries=countries)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    profiles = seeking_profiles(
        q=data.get("q", ""),
        country=data.get("country", ""),
        region=data.get("region", ""),
        field=data.get("field", ""),
        language=data.get("language", ""),
    )
    # The page's cards as plain values (no profile, community, country or member instances):
    # its sliced query of profiles replaced by them.
    page: Any = Paginator(profiles, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = seeking_rows(page.object_list)
    places = [
        Place(p.name, p.latitude, p.longitude)
        for p in page.object_list
        if p.latitude is not None and p.longitude is not None
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "filtered": any(data.values()),
        "query": query.urlencode(),
        "map_svg": cached_places_map_svg(places, label=_("Communities seeking a partner")),
    }
    return render(request, "matchmaking/seeking_list.html", context)
