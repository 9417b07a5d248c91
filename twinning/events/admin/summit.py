"""The events admin: summit part. Read-only overviews of rooms, teams and the named adults;
every change goes through the summit's staff pages, which call the services (C9). The
restricted details are not in the admin at all: their only reader is the logged details page
(RELIABILITY P-07, K3)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.events.models import Room, SummitChaperone, Team


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SummitChaperoneAdmin(_ReadOnly):
    list_display = ["pk", "event", "role", "background_check_on"]
    list_filter = ["role"]
    list_select_related = ["event"]
    fields = ["event", "role", "background_check_on"]


class RoomAdmin(_ReadOnly):
    list_display = ["name", "event", "beds", "gender", "adults_only"]
    list_select_related = ["event"]


class TeamAdmin(_ReadOnly):
    list_display = ["name", "event", "kind"]
    list_select_related = ["event"]


def register() -> None:
    for model, model_admin in (
        (SummitChaperone, SummitChaperoneAdmin),
        (Room, RoomAdmin),
        (Team, TeamAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
