"""The back office's view of the exchange: read-only (every change goes through the exchange's
pages and services, C9, so statuses, screening, placements and their audit entries stay in
step).

Special-category data (RELIABILITY P-07) is not here at all: the restricted details (medical,
allergies, passport, visa), incidents, and the private files (application documents, photos
of the student's room, acceptance letters) are read only on the exchange's pages, by their
readers, after a fresh re-authentication and with each read logged. Lists show no child's
date of birth and no free text; the student's emergency contacts and interview notes and
the monthly contacts' notes are left out of the detail pages too. Matching preferences, school
distances and reciprocity figures are read on the pages (the demo has none to walk, and the
admin walk shows every registered model with a row)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from twinning.core.admin import ReadOnlyAdmin, ReadOnlyInline
from twinning.exchanges.models import (
    BackgroundCheck,
    Coordinator,
    FamilyApproval,
    HomeVisit,
    HostFamily,
    HouseholdMember,
    MonthlyContact,
    Orientation,
    Placement,
    Quota,
    Reference,
    School,
    Season,
    SendingContact,
    StatusChange,
    Student,
    Training,
)


@admin.register(Season)
class SeasonAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "arrival_date", "departure_date", "retention_years"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin):
    list_display = ["season", "host", "partnership", "places"]
    list_filter = ["season"]
    list_select_related = [
        "season",
        "host",
        "partnership__community_a",
        "partnership__community_b",
    ]


@admin.register(SendingContact)
class SendingContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "email", "quota", "token_used_at"]
    search_fields = ["name", "email"]
    list_select_related = ["quota__season", "quota__host"]


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("status", "message", "changed_at", "changed_by")
    readonly_fields = fields


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "season", "host", "status"]
    list_filter = ["status", "season"]
    search_fields = ["person__first_name", "person__last_name"]
    list_select_related = ["person", "season", "quota__host"]
    exclude = ["emergency_contacts", "interview_notes"]
    inlines = [StatusChangeInline]

    @admin.display(description=_("hosting committee"))
    def host(self, obj: Student) -> str:
        return obj.quota.host.name


@admin.register(Coordinator)
class CoordinatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "member", "is_exchange_coordinator"]
    list_filter = ["is_exchange_coordinator"]
    search_fields = ["name", "member__name"]
    list_select_related = ["member"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["coordinator", "course", "completed_on", "expires_on"]
    list_select_related = ["coordinator"]


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ["name", "member", "contact_name", "letter_signed_on"]
    search_fields = ["name", "member__name"]
    list_select_related = ["member"]


class HouseholdInline(ReadOnlyInline):
    model = HouseholdMember
    fields = ("name", "relationship")
    readonly_fields = fields


@admin.register(HostFamily)
class HostFamilyAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "member", "status", "capacity"]
    list_filter = ["status"]
    search_fields = ["family_name", "member__name"]
    list_select_related = ["member"]
    inlines = [HouseholdInline]


@admin.register(BackgroundCheck)
class BackgroundCheckAdmin(ReadOnlyAdmin):
    list_display = ["person", "checked_on", "provider", "result"]
    list_filter = ["result"]
    list_select_related = ["person"]


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    list_display = ["name", "family", "answered_at", "recommends"]
    list_select_related = ["family"]


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyAdmin):
    list_display = ["family", "coordinator", "visited_on", "suitable"]
    list_select_related = ["family", "coordinator"]


@admin.register(FamilyApproval)
class FamilyApprovalAdmin(ReadOnlyAdmin):
    list_display = ["family", "capacity", "adults_checked", "approved_at"]
    list_select_related = ["family"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["student", "family", "school", "coordinator", "starts_on", "ended_at"]
    list_select_related = ["student__person", "approval__family", "school", "coordinator"]

    @admin.display(description=_("host family"))
    def family(self, obj: Placement) -> str:
        return obj.approval.family.family_name


@admin.register(Orientation)
class OrientationAdmin(ReadOnlyAdmin):
    list_display = ["student", "kind", "held_on"]
    list_filter = ["kind"]
    list_select_related = ["student__person"]


@admin.register(MonthlyContact)
class MonthlyContactAdmin(ReadOnlyAdmin):
    list_display = ["placement", "month", "contact_with", "contacted_on", "method"]
    list_filter = ["contact_with", "method"]
    list_select_related = ["placement__student__person", "placement__approval__family"]
    exclude = ["notes"]
