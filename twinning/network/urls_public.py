"""Public pages: anyone may read them (C12 does not apply: nothing here is private)."""

from django.urls import path

from twinning.network.views import map as map_views
from twinning.network.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("communities/", public.community_list, name="community_list"),
    path("communities/export.csv", public.community_export_csv, name="community_export_csv"),
    path(
        "communities/export.geojson",
        public.community_export_geojson,
        name="community_export_geojson",
    ),
    path("communities/<slug:slug>/", public.community_detail, name="community_detail"),
    path("countries/", public.country_list, name="country_list"),
    path("countries/<str:code>/", public.country_detail, name="country_detail"),
    path("stats/", public.stats, name="stats"),
    # --- map (other helper) ---
    path("map/", map_views.map_page, name="map"),
    path("map/data.json", map_views.map_data, name="map_data"),
]
