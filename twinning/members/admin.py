"""The members admin: the association's regions (no other page edits them). Saving goes
through members.services.regions, so the actor check and the audit entry are the service's."""

from typing import Any

from django.contrib import admin

from twinning.members.models import AssociationRegion
from twinning.members.services.regions import save_association_region


@admin.register(AssociationRegion)
class AssociationRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]
    exclude = ["slug"]  # the service makes it from the name
    filter_horizontal = ["coordinators"]

    def save_model(self, request: Any, obj: AssociationRegion, form: Any, change: bool) -> None:
        region = save_association_region(
            name=obj.name,
            country=obj.country,
            subdivisions=obj.subdivisions or [],
            coordinators=form.cleaned_data.get("coordinators", []),
            region=obj if change else None,
            by=request.user,
        )
        obj.pk, obj.slug = region.pk, region.slug

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The service set the coordinators already."""
