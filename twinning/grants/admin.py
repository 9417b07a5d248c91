"""Staff back office for funding programs: programs and calls (with their exchange rates and
lump-sum tables) are set up here, through the services; applications, grants and reports are
read-only here (their workflow runs on the staff pages under /staff/grants/)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twinning.core.admin import ReadOnlyAdmin
from twinning.grants.models import (
    Application,
    ApplicationSide,
    Call,
    ExchangeRate,
    Grant,
    LumpSum,
    Program,
    Report,
    Tranche,
)
from twinning.grants.services import save_call, save_program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "budget", "currency", "shape"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_program(program=obj, by=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExchangeRateInline(admin.TabularInline):
    model = ExchangeRate
    extra = 1


class LumpSumInline(admin.TabularInline):
    model = LumpSum
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "opens_at", "closes_at", "decisions_published_at"]
    list_select_related = ["program"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ExchangeRateInline, LumpSumInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_call(call=obj, by=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SideInline(admin.TabularInline):
    model = ApplicationSide
    extra = 0
    fields = ["community", "member", "is_lead", "currency", "participants", "signed_at"]
    readonly_fields = ["community", "member", "is_lead", "currency", "participants", "signed_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "state", "awarded_amount"]
    list_filter = ["state"]
    list_select_related = ["call__program"]
    inlines = [SideInline]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    fields = ["number", "amount", "after_report", "paid_at"]
    readonly_fields = ["number", "amount", "after_report", "paid_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["application", "amount", "currency", "starts_on", "state"]
    list_select_related = ["application"]
    inlines = [TrancheInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["grant", "side", "kind", "due_on", "state"]
    list_select_related = ["grant__application", "side__community"]
