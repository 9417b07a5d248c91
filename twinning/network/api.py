"""The registry's JSON API (C9): public, read-only lists of countries, communities and
partnerships; and, for a signed-in committee admin, their own member profiles and partnership
proposals. The endpoints use the same querysets and services as the pages.

Machine clients send `Authorization: Bearer <token>` (twinning/network/tokens.py): each
endpoint declares the scope a token needs (`registry:read` for the public lists, which need no
token at all; `member:read` and `member:write` for the member's own records). A token acts
for its member only.

Errors: a service's ValidationError answers 422 and NotAllowed 404, through the handlers in
twinning/api.py; an object the user may not see answers 404 like a missing one (C12).
"""

import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import ConfigDict, HttpUrl

from twinning.core.api import errors
from twinning.network.models import (
    Community,
    Country,
    Member,
    Partnership,
    PartnershipProposal,
    Region,
)
from twinning.network.queries import (
    DirectoryFilters,
    community_partnerships,
    country_figures,
    directory,
    with_partner_count,
)
from twinning.network.scopes import MEMBER_READ, MEMBER_WRITE, REGISTRY_READ
from twinning.network.services import propose_partnership, update_member_profile
from twinning.network.tokens import acting_members, public_or_token, token_or_session

router = Router(tags=["registry"])
me_router = Router(tags=["my member organisations"])
router.add_router("/me", me_router)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _choices_enum(name: str, choices: Any) -> Any:
    """A uniquely named enum of a model's choices: models' inner `Kind`/`Status` classes share
    names, and the OpenAPI schema would otherwise mix them up under one `Kind`."""
    return StrEnum(name, [(value.upper(), value) for value in choices.values])  # type: ignore[misc]


WorldRegion = _choices_enum("WorldRegion", Region)
CommunityKind = _choices_enum("CommunityKind", Community.Kind)
PartnershipKind = _choices_enum("PartnershipKind", Partnership.Kind)
PartnershipStatus = _choices_enum("PartnershipStatus", Partnership.Status)
MemberKind = _choices_enum("MemberKind", Member.Kind)
ProposalAction = _choices_enum("ProposalAction", PartnershipProposal.Action)
ProposalState = _choices_enum("ProposalState", PartnershipProposal.State)


# Far beyond any list here (200 million rows at the largest page size), and an offset every
# database takes: a larger page number is refused (422) instead of overflowing SQLite's integer.
MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"Items a page; more than {MAX_PAGE_SIZE} reads as {MAX_PAGE_SIZE}.",
        )


def _page(func: Any) -> Any:
    """Page-number pagination as on the pages: 50 a page, `page_size` up to 200."""
    return paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(
        func
    )


# --- Public: countries ------------------------------------------------------------------


class CountryOut(Schema):
    code: str
    name: str
    region: WorldRegion
    community_count: int


class PartnerCountryOut(Schema):
    code: str
    name: str
    count: int


class CountryDetailOut(CountryOut):
    official_name: str
    partnership_count: int = Field(..., description="Current (active or dormant) partnerships.")
    partner_country_count: int
    top_partner_countries: list[PartnerCountryOut]


@router.get(
    "/countries",
    response={200: list[CountryOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
def list_countries(request: HttpRequest) -> Any:
    """Every country in the registry, with its ISO code, world region and number of
    communities."""
    return Country.objects.with_counts().order_by("name")


@router.get(
    "/countries/{code}",
    response={200: CountryDetailOut, **errors(401, 403, 404, 422)},
    **public_or_token(REGISTRY_READ),
)
def get_country(request: HttpRequest, code: str) -> Any:
    """One country by its ISO 3166-1 alpha-2 code (either case), with its figures as on its
    page: communities, current partnerships, and the countries it is most partnered with."""
    country = get_object_or_404(Country.objects.with_counts(), code=code.upper())
    figures = country_figures(country)
    return {
        "code": country.code,
        "name": country.name,
        "official_name": country.official_name,
        "region": country.region,
        "community_count": country.community_count,  # type: ignore[attr-defined]
        "partnership_count": figures["partnerships"],
        "partner_country_count": figures["partner_country_count"],
        "top_partner_countries": figures["top_partner_countries"],
    }


# --- Public: communities ----------------------------------------------------------------


class CommunityFilters(Schema):
    q: str = Field("", max_length=100, description="Name prefix; accent- and case-insensitive.")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2 code of the country.")
    region: WorldRegion | None = Field(None, description="World region of the country.")
    kind: CommunityKind | None = None
    status: PartnershipStatus | None = Field(
        None, description="Only communities with a partnership in this status."
    )


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    country: str = Field(..., description="ISO code of the country.")
    region: str = Field(..., description="First-level region (state, province or nation).")
    kind: CommunityKind
    population: int | None
    latitude: float | None
    longitude: float | None
    partner_count: int
    url: str

    @staticmethod
    def resolve_country(obj: Community) -> str:
        return obj.country_id

    @staticmethod
    def resolve_url(obj: Community) -> str:
        return obj.get_absolute_url()


class BriefCommunityOut(Schema):
    slug: str
    name: str
    country: str

    @staticmethod
    def resolve_country(obj: Community) -> str:
        return obj.country_id


class PartnerOut(Schema):
    partnership_id: int
    partner: BriefCommunityOut
    kind: PartnershipKind
    status: PartnershipStatus
    status_changed_on: datetime.date | None
    established_year: int | None
    confirmed_by_this_community_on: datetime.date | None
    confirmed_by_partner_on: datetime.date | None


class BriefMemberOut(Schema):
    slug: str
    name: str


class CommunityDetailOut(CommunityOut):
    country_name: str
    wikidata_id: str
    geonames_id: int | None
    partners: list[PartnerOut]
    members: list[BriefMemberOut]

    @staticmethod
    def resolve_country_name(obj: Community) -> str:
        return obj.country.name

    @staticmethod
    def resolve_members(obj: Community) -> list[Member]:
        return list(obj.members.all())

    @staticmethod
    def resolve_partners(obj: Community) -> list[dict[str, Any]]:
        rows = []
        for row in community_partnerships(obj):  # the community page's read
            partnership = row["partnership"]
            ours_is_a = partnership.community_a_id == obj.pk
            first, second = partnership.confirmed_by_a_on, partnership.confirmed_by_b_on
            rows.append(
                {
                    "partnership_id": partnership.pk,
                    "partner": row["partner"],
                    "kind": partnership.kind,
                    "status": partnership.status,
                    "status_changed_on": partnership.status_changed_on,
                    "established_year": partnership.established_year,
                    "confirmed_by_this_community_on": first if ours_is_a else second,
                    "confirmed_by_partner_on": second if ours_is_a else first,
                }
            )
        return rows


@router.get(
    "/communities",
    response={200: list[CommunityOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
@_page
def list_communities(request: HttpRequest, filters: Query[CommunityFilters]) -> Any:
    """The directory of communities: search by name (accent- and case-insensitive prefix),
    filter by country, world region, kind and partnership status; 50 a page."""
    return directory(  # the directory page's read, with the same filters
        DirectoryFilters(
            q=filters.q.strip(),
            country=filters.country.strip().upper(),
            region=filters.region or "",
            kind=filters.kind or "",
            status=filters.status or "",
        )
    )


@router.get(
    "/communities/{slug}",
    response={200: CommunityDetailOut, **errors(401, 403, 404, 422)},
    **public_or_token(REGISTRY_READ),
)
def get_community(request: HttpRequest, slug: str) -> Any:
    """One community with its partners (each partnership's kind, status, year and each side's
    confirmation) and the member organisations based there."""
    communities = with_partner_count(Community.objects.select_related("country"))
    return get_object_or_404(
        communities.prefetch_related(Prefetch("members", queryset=Member.objects.order_by("name"))),
        slug=slug,
    )


# --- Public: partnerships ---------------------------------------------------------------


class PartnershipFilters(Schema):
    country: str = Field("", description="ISO code of the country of either side.")
    status: PartnershipStatus | None = None
    kind: PartnershipKind | None = None
    community: str = Field("", description="Slug of a community on either side.")


class PartnershipOut(Schema):
    id: int
    kind: PartnershipKind
    status: PartnershipStatus
    status_changed_on: datetime.date | None
    established_year: int | None
    source: str
    community_a: BriefCommunityOut
    community_b: BriefCommunityOut


@router.get(
    "/partnerships",
    response={200: list[PartnershipOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
@_page
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]) -> Any:
    """Partnerships between communities, filtered by the country or the community of either
    side, status and kind; 50 a page, in the order they were recorded."""
    partnerships = Partnership.objects.select_related("community_a", "community_b")
    if filters.country:
        code = filters.country.upper()
        partnerships = partnerships.filter(
            Q(community_a__country_id=code) | Q(community_b__country_id=code)
        )
    if filters.status:
        partnerships = partnerships.filter(status=filters.status)
    if filters.kind:
        partnerships = partnerships.filter(kind=filters.kind)
    if filters.community:
        partnerships = partnerships.filter(
            Q(community_a__slug=filters.community) | Q(community_b__slug=filters.community)
        )
    return partnerships.order_by("pk")


# --- Signed in: a committee admin's own member organisations --------------------------


class MemberOut(Schema):
    slug: str
    name: str
    kind: MemberKind
    communities: list[BriefCommunityOut]
    website: str
    description: str
    seeking_partner: bool
    preferred_regions: list[WorldRegion]
    interests: str
    languages: str

    @staticmethod
    def resolve_communities(obj: Member) -> list[Community]:
        return list(obj.communities.all())


class MemberProfileIn(Schema):
    """The public profile fields a committee admin may change; any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    website: HttpUrl | None = None
    description: str | None = None
    interests: str | None = None
    languages: str | None = Field(None, max_length=200)


def _my_members(request: HttpRequest) -> Any:
    return (
        acting_members(request)
        .prefetch_related(
            Prefetch("communities", queryset=Community.objects.order_by("name", "country_id"))
        )
        .order_by("name")
    )


def _get_my_member(request: HttpRequest, slug: str, perm: str = "network.edit_member") -> Member:
    """A member the user administers, or 404 as for a missing one (C12)."""
    member = get_object_or_404(_my_members(request), slug=slug)
    if not request.user.has_perm(perm, member):
        raise Http404
    return member


@me_router.get(
    "/members",
    response={200: list[MemberOut], **errors(401, 403, 422)},
    **token_or_session(MEMBER_READ),
)
def list_my_members(request: HttpRequest) -> Any:
    """The member organisations the signed-in user administers (none for other users)."""
    return _my_members(request)


@me_router.get(
    "/members/{slug}",
    response={200: MemberOut, **errors(401, 403, 404, 422)},
    **token_or_session(MEMBER_READ),
)
def get_my_member(request: HttpRequest, slug: str) -> Any:
    """One of the signed-in user's member organisations."""
    return _get_my_member(request, slug)


@me_router.patch(
    "/members/{slug}",
    response={200: MemberOut, **errors(400, 401, 403, 404, 422)},
    **token_or_session(MEMBER_WRITE),
)
def update_my_member(request: HttpRequest, slug: str, data: MemberProfileIn) -> Any:
    """Change the public profile of one of the user's member organisations. Only the fields
    listed in the body schema can change; a body with any other field is refused (422)."""
    member = _get_my_member(request, slug)
    fields = data.model_dump(exclude_unset=True)
    if fields.get("website") is not None:
        fields["website"] = str(fields["website"])
    for name in ("website", "description", "interests", "languages"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    update_member_profile(member=member, by=request.user, **fields)
    return _get_my_member(request, slug)


# --- Signed in: partnership proposals -----------------------------------------------------


class ProposalOut(Schema):
    id: int
    member: str = Field(..., description="Slug of the member organisation.")
    action: ProposalAction
    community: BriefCommunityOut
    partner: BriefCommunityOut
    kind: PartnershipKind
    status: PartnershipStatus
    established_year: int | None
    note: str
    state: ProposalState
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_message: str

    @staticmethod
    def resolve_member(obj: PartnershipProposal) -> str:
        return obj.member.slug


class ProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: str = Field(..., description="Slug of one of your member organisations.")
    action: ProposalAction = ProposalAction.NEW
    community: str = Field(..., description="Slug of one of that member's communities.")
    partner: str = Field(..., description="Slug of the partner community.")
    kind: PartnershipKind = PartnershipKind.SISTER_CITY
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    established_year: int | None = Field(None, ge=1000, le=2100)
    note: str = ""


def _my_proposals(request: HttpRequest) -> Any:
    return PartnershipProposal.objects.filter(member__in=acting_members(request)).select_related(
        "member", "community", "partner"
    )


@me_router.get(
    "/proposals",
    response={200: list[ProposalOut], **errors(401, 403, 422)},
    **token_or_session(MEMBER_READ),
)
@_page
def list_my_proposals(request: HttpRequest) -> Any:
    """Partnership proposals of the user's member organisations, newest first."""
    return _my_proposals(request).order_by("-created_at", "-pk")


@me_router.post(
    "/proposals",
    response={201: ProposalOut, **errors(400, 401, 403, 404, 422)},
    **token_or_session(MEMBER_WRITE),
)
def create_my_proposal(request: HttpRequest, data: ProposalIn) -> Any:
    """Ask staff to record a new partnership, or to change the status of an existing one, for
    one of your member's own communities. Staff approve or decline it."""
    member = _get_my_member(request, data.member, perm="network.propose_partnership")
    found = {c.slug: c for c in Community.objects.filter(slug__in=[data.community, data.partner])}
    missing = {
        field: _("No community has this slug.")
        for field, slug in (("community", data.community), ("partner", data.partner))
        if slug not in found
    }
    if missing:
        raise ValidationError(missing)
    proposal = propose_partnership(
        member=member,
        community=found[data.community],
        partner=found[data.partner],
        action=data.action,
        kind=data.kind,
        status=data.status,
        established_year=data.established_year,
        note=data.note,
        by=request.user,
    )
    return Status(201, _my_proposals(request).get(pk=proposal.pk))
