"""The events admin: public part. Partner organisations and webinar series are edited here
(no personal data, no service behind them, and no other page makes them). The programme is
edited on the organisers' pages, which record what changed after publication."""

from django.contrib import admin
from django.db import models

from twinning.events.models import PartnerOrganisation, WebinarSeries


class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class WebinarSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


def register() -> None:
    for model, model_admin in (
        (PartnerOrganisation, PartnerOrganisationAdmin),
        (WebinarSeries, WebinarSeriesAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
