"""Staff back office for the showcase's student side: read-only views of editions, entries
and erasure requests (consent records are youth's: twinning/youth/admin.py). Every change
goes through the staff pages under /staff/showcase/, which call the services (C9); minors'
data is never edited here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.showcase.models import Category, Edition, Entry, ErasureRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    can_delete = False
    fields = ["name", "work_kind", "max_bytes", "max_lines", "max_words", "max_seconds"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["year", "theme", "opens_at", "closes_at", "results_published_at"]
    inlines = [CategoryInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "edition", "category", "state", "media_status", "approved_at"]
    list_filter = ["edition", "state", "media_status"]
    list_select_related = ["edition", "category"]
    show_full_result_count = False
    exclude = ["text"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "requested_by", "requested_at", "due_on", "executed_at"]
