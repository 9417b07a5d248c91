"""Staff back office for the association's settings and the audit log (read-only), and
django_rq's queue dashboard (when Redis is configured) fitted so no page of it answers 500."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from twinning.core.authz import is_verified_staff
from twinning.core.models import ActivityLog, Association
from twinning.core.services import update_association


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    # A website typed without a scheme is https (Django 6's default; no deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the services write (awards, grants, exchanges): staff look, never add, change or
    delete here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """A read-only admin's rows of a related model, shown, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


def _not_found_on(
    errors: tuple[type[Exception], ...], view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """The view, answering 404 when it raises one of `errors` (a job or worker that is gone)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except errors as error:
            raise Http404 from error

    return wrapped


if apps.is_installed("django_rq"):
    from django_rq.admin import QueueAdmin  # registers django_rq's own admin first
    from django_rq.models import Dashboard
    from rq.exceptions import NoSuchJobError

    class DashboardAdmin(QueueAdmin):
        """django_rq's dashboard: a job or worker that does not exist answers 404 (django_rq
        lets NoSuchJobError, and a malformed or unknown worker key, through as a 500), and the
        table-less Dashboard model has no object pages (they would query a missing table)."""

        def get_urls(self) -> list[URLPattern]:
            urls = []
            for url in super().get_urls():
                if "object_id" in str(url.pattern):
                    continue
                errors: tuple[type[Exception], ...] = (NoSuchJobError,)
                if url.name == "django_rq_worker_details":
                    errors = (NoSuchJobError, ValueError, AssertionError)
                url.callback = _not_found_on(errors, url.callback)
                urls.append(url)
            return urls

    admin.site.unregister(Dashboard)
    admin.site.register(Dashboard, DashboardAdmin)


# django-tasks-db registers its task results for superusers; every verified staff member reads
# them here, since a task given up after its worker died (DUR-4) ends there with its error.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """Background tasks, read-only: failed ones with their error, running ones with the lease
    their worker holds (twinning/core/leases.py)."""

    list_display = (*DBTaskResultAdmin.list_display, "attempts", "lease_expires")  # type: ignore[assignment]
    list_select_related = ("lease",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_verified_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_verified_staff(request.user)

    @admin.display(description=_("attempts"))
    def attempts(self, obj: DBTaskResult) -> int:
        return len(obj.worker_ids)

    @admin.display(description=_("lease expires"))
    def lease_expires(self, obj: DBTaskResult) -> object:
        lease = getattr(obj, "lease", None)
        return lease.expires_at if lease else self.get_empty_value_display()
