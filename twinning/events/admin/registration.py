"""The events admin: registration part (read-mostly; changes go through the staff pages and
their services)."""

from django.contrib import admin

from twinning.events.models import Attendee, Order, Question, Ticket, WaitingListEntry


class TicketAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "price", "member_price", "quota", "for_youth")
    list_filter = ("for_youth",)
    search_fields = ("name", "event__title")
    list_select_related = ("event",)


class QuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "event", "scope", "kind", "required")
    list_filter = ("scope", "kind")
    list_select_related = ("event",)


class AttendeeInline(admin.TabularInline):
    model = Attendee
    fields = ("first_name", "last_name", "ticket", "state", "price", "code")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class OrderAdmin(admin.ModelAdmin):
    list_display = ("code", "event", "email", "member", "state", "total", "created_at")
    list_filter = ("state", "is_delegation")
    search_fields = ("code", "email", "member__name")
    list_select_related = ("event", "member")
    readonly_fields = ("code", "buyer", "invoice", "total", "confirmed_at", "cancelled_at")
    inlines = [AttendeeInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # an order is cancelled (with its credit note), never deleted


class WaitingListEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "party_size", "state", "created_at", "offer_expires_at")
    list_filter = ("state",)
    search_fields = ("name", "email")
    list_select_related = ("event",)
    readonly_fields = ("state", "offered_at", "offer_expires_at", "answered_at", "order")


def register() -> None:
    for model, model_admin in (
        (Ticket, TicketAdmin),
        (Question, QuestionAdmin),
        (Order, OrderAdmin),
        (WaitingListEntry, WaitingListEntryAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
