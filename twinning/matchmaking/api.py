"""Matchmaking's part of the API: the public list of seeking profiles, with the same filters
as /seeking/ (public, or a token with `registry:read`)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from twinning.core.api import errors
from twinning.matchmaking.models import SeekingProfile
from twinning.matchmaking.queries import seeking_profiles
from twinning.network.scopes import REGISTRY_READ
from twinning.network.tokens import public_or_token

router = Router(tags=["matchmaking"])


class SeekingCommunityOut(Schema):
    slug: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None


class SeekingProfileOut(Schema):
    community: SeekingCommunityOut
    preferred_countries: list[str]
    preferred_regions: list[str]
    population_min: int | None
    population_max: int | None
    sectors: list[str]
    languages: list[str]
    text: str
    requested_by: str

    @staticmethod
    def resolve_community(obj: SeekingProfile) -> dict[str, Any]:
        c = obj.community
        return {
            "slug": c.slug,
            "name": c.name,
            "country": c.country_id,
            "latitude": c.latitude,
            "longitude": c.longitude,
        }


class SeekingFilters(Schema):
    q: str = ""
    country: str = ""
    region: str = ""
    field: str = ""
    language: str = ""


@router.get(
    "/seeking",
    response={200: list[SeekingProfileOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
@paginate(PageNumberPagination, page_size=50)
def list_seeking_profiles(request: HttpRequest, filters: Query[SeekingFilters]) -> Any:
    """Communities seeking a partner now, with what they look for; 50 a page, by name."""
    return seeking_profiles(**filters.model_dump())
