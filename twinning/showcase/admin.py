"""Staff back office for the showcase's student side: read-only views of editions, entries
and erasure requests (consent records are youth's: twinning/youth/admin.py). Every change
goes through the staff pages under /staff/showcase/, which call the services (C9); minors'
data is never edited here."""

from django.contrib import admin

from twinning.core.admin import ReadOnlyAdmin, ReadOnlyInline
from twinning.showcase.models import Category, Edition, Entry, ErasureRequest


class CategoryInline(ReadOnlyInline):
    model = Category
    fields = ["name", "work_kind", "max_bytes", "max_lines", "max_words", "max_seconds"]
    readonly_fields = fields


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
