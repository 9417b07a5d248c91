"""Staff back office for the association's settings and the audit log (read-only)."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from twinning.core.models import ActivityLog, Association
from twinning.core.services import update_association


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["name", "short_name", "tagline", "logo"]}),
        ("Contact", {"fields": ["email", "phone", "address", "website"]}),
        (
            _("Payment details (printed on invoices)"),
            {
                "fields": [
                    "bank_account_holder",
                    "bank_account_number",
                    "bank_code",
                    "bank_name",
                    "payment_instructions",
                ]
            },
        ),
        ("Locale", {"fields": ["currency", "time_zone", "languages"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Association.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        update_association(
            association=obj,
            by=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "content_type", "object_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_id", "actor__email"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ActivityLog._meta.get_fields() if f.concrete]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
