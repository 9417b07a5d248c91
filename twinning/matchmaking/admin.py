"""The back office's view of matchmaking: read-only lists (writes go through the pages'
services, so the member's flag, the requests' states, the e-mails to both sides and the audit
log stay in step)."""

from typing import Any

from django.contrib import admin

from twinning.matchmaking.models import (
    ExpertiseMatch,
    ExpertiseOffer,
    ExpertiseRequest,
    Interest,
    SeekingProfile,
)


@admin.register(SeekingProfile)
class SeekingProfileAdmin(admin.ModelAdmin):
    list_display = ["community", "is_open", "requested_by", "updated_at"]
    list_filter = ["is_open"]
    search_fields = ["community__name", "requested_by", "text"]
    readonly_fields = [f.name for f in SeekingProfile._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["community", "target", "partnership", "created_at"]
    readonly_fields = [f.name for f in Interest._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


# --- The expertise exchange: look only; matching, withdrawing and declining are the staff
# pages' (/staff/matchmaking/expertise/), whose services tell both sides and leave the audit.


class _ReadOnly(admin.ModelAdmin):
    """Verified staff look (matchmaking's own permission, C11, as network's admin does);
    nobody adds, changes or deletes here."""

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.has_perm("matchmaking.manage"))

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.has_perm("matchmaking.manage"))

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ExpertiseOffer)
class ExpertiseOfferAdmin(_ReadOnly):
    list_display = ["community", "member", "field", "department", "is_open", "updated_at"]
    list_filter = ["is_open", "field"]
    search_fields = ["community__name", "member__name", "department", "summary"]
    list_select_related = ["community", "member"]


@admin.register(ExpertiseRequest)
class ExpertiseRequestAdmin(_ReadOnly):
    list_display = ["community", "member", "field", "state", "via", "created_at"]
    list_filter = ["state", "field", "via"]
    search_fields = ["community__name", "member__name", "problem", "contact_name"]
    list_select_related = ["community", "member"]
    # The hash of the partner's link is no business of the back office.
    exclude = ["token_hash"]


@admin.register(ExpertiseMatch)
class ExpertiseMatchAdmin(_ReadOnly):
    list_display = ["__str__", "form", "score", "declined_side", "recorded_at", "created_at"]
    list_filter = ["declined_side", "form"]
    search_fields = ["request__community__name", "offer__community__name", "outcome"]
    list_select_related = ["request__community", "offer__community"]
