"""Reads for staff's download statistics: downloads per resource (how many, by how many
people and organisations, the last one) and per member organisation (including those that
never opened anything)."""

from typing import Any

from django.db.models import Count, Max, QuerySet

from twinning.library.models import Resource
from twinning.network.models import Member


def downloads_per_resource() -> QuerySet[Resource]:
    return Resource.objects.annotate(
        download_count=Count("downloads"),
        people=Count("downloads__user", distinct=True),
        organisations=Count("downloads__member", distinct=True),
        last_download=Max("downloads__at"),
    ).order_by("-download_count", "title")


def downloads_per_member() -> QuerySet[Member]:
    """Every member organisation with its downloads; those with none come first (who never
    opens anything)."""
    return Member.objects.annotate(
        download_count=Count("library_downloads"),
        resources_opened=Count("library_downloads__resource", distinct=True),
        last_download=Max("library_downloads__at"),
    ).order_by("download_count", "name")


def _rows(queryset: QuerySet[Any]) -> list[Any]:
    """The rows with their annotations (typed Any: the annotations are not model fields)."""
    return list(queryset)


RESOURCE_HEADER = ["Resource", "Access", "Language", "Downloads", "People", "Organisations", "Last"]
MEMBER_HEADER = ["Member organisation", "Downloads", "Resources opened", "Last"]


def resource_rows() -> list[list[Any]]:
    return [
        [
            r.title,
            r.get_access_display(),
            r.language,
            r.download_count,
            r.people,
            r.organisations,
            r.last_download.isoformat(timespec="minutes") if r.last_download else "",
        ]
        for r in _rows(downloads_per_resource())
    ]


def member_rows() -> list[list[Any]]:
    return [
        [
            m.name,
            m.download_count,
            m.resources_opened,
            m.last_download.isoformat(timespec="minutes") if m.last_download else "",
        ]
        for m in _rows(downloads_per_member())
    ]
