"""Matchmaking's part of the API: the public list of seeking profiles, with the same filters
as /seeking/ (public, or a token with `registry:read`)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from twinning.core.api import errors
from twinning.matchmaking.models import SeekingProfile
from twinning.matchmaking.queries import seeking_profiles
from twinning.network.api import MAX_PAGE_SIZE, PAGE_SIZE, BoundedPageNumberPagination
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
    q: str = Field("", max_length=100)
    country: str = Field("", max_length=2, description="ISO code of the community's country.")
    region: str = Field("", max_length=20, description="World region (europe, asia...).")
    field: str = Field("", max_length=20, description="A field of interest (arts, youth...).")
    language: str = Field("", max_length=10, description="ISO 639-1 code (en, fr...).")


@router.get(
    "/seeking",
    response={200: list[SeekingProfileOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_seeking_profiles(request: HttpRequest, filters: Query[SeekingFilters]) -> Any:
    """Communities seeking a partner now, with what they look for; 50 a page, by name."""
    return seeking_profiles(**filters.model_dump())
