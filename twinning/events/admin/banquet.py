"""The events admin: the banquet's tables, seats, honorees and run of show, to look at.

Every change goes through the staff banquet pages and their services (which check the actor
and write the audit entry), so these are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.events.models import BanquetTable, Honoree, RunOfShowItem, SeatAssignment


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BanquetTableAdmin(ReadOnly):
    list_display = ("event", "number", "name", "seats", "stage_rank")
    list_filter = ("event",)
    list_select_related = ("event",)


class SeatAssignmentAdmin(ReadOnly):
    list_display = ("event", "table", "seat", "attendee", "by_hand", "reason")
    list_filter = ("event", "by_hand")
    list_select_related = ("event", "table", "attendee")
    search_fields = ("attendee__last_name", "attendee__first_name")
    show_full_result_count = False


class HonoreeAdmin(ReadOnly):
    list_display = ("event", "position", "name", "honour", "member", "source")
    list_filter = ("event", "source")
    list_select_related = ("event", "member")


class RunOfShowItemAdmin(ReadOnly):
    list_display = ("event", "position", "starts_at", "title", "kind")
    list_filter = ("event", "kind")
    list_select_related = ("event",)


def register() -> None:
    admin.site.register(BanquetTable, BanquetTableAdmin)
    admin.site.register(SeatAssignment, SeatAssignmentAdmin)
    admin.site.register(Honoree, HonoreeAdmin)
    admin.site.register(RunOfShowItem, RunOfShowItemAdmin)
