"""Staff back office for young people: read-only (every change goes through the programs'
staff pages and services, C9; minors' data is never edited here)."""

from django.contrib import admin

from twinning.core.admin import ReadOnlyAdmin, ReadOnlyInline
from twinning.youth.models import Consent, ConsentScope


class ConsentScopeInline(ReadOnlyInline):
    model = ConsentScope
    fields = ("scope", "granted_at", "withdrawn_at")
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "program", "verified_by", "created_at", "responded_at"]
    list_filter = ["program"]
    exclude = ["token_hash"]
    inlines = [ConsentScopeInline]
