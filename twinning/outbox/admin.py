"""The outbox in the back office: read-only. Staff review, send, discard and edit mail on the
outbox's own pages (/staff/outbox/), whose writes go through the services and are audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("subject", "to", "template", "language", "state", "attempts", "created_at")
    list_filter = ("state", "transactional", "language")
    search_fields = ("to", "subject", "template")
    list_select_related = ("recipient",)
    show_full_result_count = False
    date_hierarchy = "created_at"


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ReadOnlyAdmin):
    list_display = ("key", "language", "subject", "updated_by", "updated_at")
    list_filter = ("language",)
    list_select_related = ("updated_by",)


@admin.register(Unsubscribe)
class UnsubscribeAdmin(ReadOnlyAdmin):
    list_display = ("email", "created_at")
    search_fields = ("email",)
