"""The back office's view of matchmaking: read-only lists (writes go through the pages'
services, so the member's flag and the audit log stay in step)."""

from django.contrib import admin

from twinning.matchmaking.models import Interest, SeekingProfile


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
