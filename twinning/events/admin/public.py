"""The events admin: public part. Partner organisations and webinar series are edited here
(no personal data, no service behind them); the programme is read-only here (its changes go
through the organisers' pages, which record what changed after publication)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from twinning.events.models import (
    AttendanceRecord,
    PartnerOrganisation,
    Session,
    Speaker,
    WebinarSeries,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name"]


class WebinarSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class SessionAdmin(_ReadOnly):
    list_display = ["title", "event", "starts_at", "room", "cancelled_at"]
    list_filter = ["event"]
    list_select_related = ["event", "room"]


class SpeakerAdmin(_ReadOnly):
    list_display = ["name", "organisation", "event"]
    list_select_related = ["event"]
    exclude = ["photo_file", "photo_thumb_file"]


class AttendanceRecordAdmin(_ReadOnly):
    list_display = ["email", "event", "joined_at", "minutes"]
    list_select_related = ["event"]


def register() -> None:
    for model, model_admin in (
        (PartnerOrganisation, PartnerOrganisationAdmin),
        (WebinarSeries, WebinarSeriesAdmin),
        (Session, SessionAdmin),
        (Speaker, SpeakerAdmin),
        (AttendanceRecord, AttendanceRecordAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
