"""Staff back office for young people: read-only (every change goes through the programs'
staff pages and services, C9; minors' data is never edited here)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.youth.models import Consent, ConsentScope


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConsentScopeInline(admin.TabularInline):
    model = ConsentScope
    extra = 0
    can_delete = False
    fields = ("scope", "granted_at", "withdrawn_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "program", "verified_by", "created_at", "responded_at"]
    list_filter = ["program"]
    exclude = ["token_hash"]
    inlines = [ConsentScopeInline]
