"""The back office's view of relief: read-only lists (writes go through the pages' services,
so the running totals, the ledger's version and the audit log stay in step)."""

from typing import Any

from django.contrib import admin

from twinning.relief.models import Appeal, Donation, Expense, LedgerTotal


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(_ReadOnly):
    list_display = ["title", "kind", "status", "community", "goal", "currency", "reported_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]


@admin.register(Donation)
class DonationAdmin(_ReadOnly):
    list_display = ["appeal", "name", "anonymous", "amount", "currency", "received_on"]
    list_filter = ["currency"]
    search_fields = ["name", "reference", "appeal__title"]
    list_select_related = ["appeal"]


@admin.register(Expense)
class ExpenseAdmin(_ReadOnly):
    list_display = ["appeal", "description", "amount", "currency", "state", "spent_on"]
    list_filter = ["state", "currency"]
    list_select_related = ["appeal"]


@admin.register(LedgerTotal)
class LedgerTotalAdmin(_ReadOnly):
    list_display = ["appeal", "currency", "received", "spent", "pledged", "donations"]
    list_select_related = ["appeal"]
