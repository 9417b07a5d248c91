"""Staff back office of the awards: categories are configured here (questions, bracket,
rubric, blind flag; saved through `save_category`); cycles, nominations and honours are
read-only (their changes go through the staff pages under /awards/staff/, C9)."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from twinning.awards.models import Category, Cycle, Honour, Nomination
from twinning.awards.services import save_category
from twinning.core.admin import ReadOnlyAdmin


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "opens_at", "closes_at", "announced_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "cycle", "subject", "population_min", "population_max", "blind"]
    list_filter = ["cycle", "subject"]
    list_select_related = ["cycle"]
    fields = [
        "cycle",
        "name",
        "slug",
        "description",
        "subject",
        "population_min",
        "population_max",
        "questions",
        "criteria",
        "blind",
        "order",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        try:
            save_category(category=obj, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "member", "state", "submitted_at"]
    list_filter = ["state", "category__cycle"]
    list_select_related = ["category", "member"]
    show_full_result_count = False
    fields = [
        "category",
        "member",
        "community",
        "partner",
        "nominee_name",
        "title",
        "story",
        "website",
        "video",
        "state",
        "third_party",
        "nominator",
        "submitted_at",
        "confirmed_at",
    ]


@admin.register(Honour)
class HonourAdmin(ReadOnlyAdmin):
    list_display = ["year", "category", "outcome", "community_name", "title"]
    list_filter = ["year", "outcome"]
