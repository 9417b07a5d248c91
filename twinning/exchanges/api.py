"""The exchange's part of the API, read-only and for the association's staff only: figures,
never a person. Each season with its places, its students counted by status and its
placements (current and ended), and the reciprocity of each partnership year by year. No
name, date of birth, family, school or restricted value of anyone is in any answer.

Authentication is the API's (twinning/api.py): a verified staff session, or a staff API token
holding `exchanges:read` (a committee token cannot hold it). Anyone else signed in gets 404
(C12), a token without the scope 403, no credentials 401. A season whose personal data was
deleted on schedule answers from the counts kept then (`Season.retained_counts`)."""

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from twinning.core.api import errors
from twinning.core.authz import NotAllowed, is_verified_staff
from twinning.exchanges.models import Placement, Quota, ReciprocityFigure, Season, Student
from twinning.exchanges.services.reciprocity import partnership_reciprocity
from twinning.network.scopes import Scope, register_scope
from twinning.network.tokens import token_or_session

EXCHANGES_READ = register_scope(
    Scope(
        "exchanges:read",
        _("read the high-school exchange's figures: seasons, students by status, reciprocity"),
        committee=False,
        staff=True,
    )
)

router = Router(tags=["exchanges"])


class PlacementCounts(Schema):
    current: int
    ended: int


class SeasonOut(Schema):
    slug: str
    name: str
    kind: str
    arrival_date: str
    departure_date: str
    places: int
    students: dict[str, int]  # status -> how many students
    students_went: int  # placed or any later step
    placements: PlacementCounts
    personal_data_deleted: bool


class YearOut(Schema):
    year: int
    first_sent: int  # sent by `first`, hosted by `second`
    second_sent: int


class ReciprocityOut(Schema):
    partnership_id: int
    first: str  # the partnership's community A
    second: str
    first_sent: int
    second_sent: int
    years: list[YearOut]


def _staff_only(request: HttpRequest) -> None:
    if not is_verified_staff(request.user):
        raise NotAllowed("exchanges.api")


def _figures(seasons: list[Season]) -> list[dict[str, Any]]:
    """Each season's figures in four queries whatever the number of seasons."""
    from twinning.exchanges.services.reciprocity import WENT

    ids = [s.pk for s in seasons]
    places = dict(
        Quota.objects.filter(season_id__in=ids)
        .values("season_id")
        .annotate(n=Sum("places"))
        .values_list("season_id", "n")
    )
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for season_id, status, n in (
        Student.objects.filter(season_id__in=ids)
        .values("season_id", "status")
        .annotate(n=Count("pk"))
        .values_list("season_id", "status", "n")
    ):
        statuses[season_id][status] = n
    placements = {
        row["student__season_id"]: row
        for row in Placement.objects.filter(student__season_id__in=ids)
        .values("student__season_id")
        .annotate(total=Count("pk"), current=Count("pk", filter=Q(ended_at__isnull=True)))
    }
    result = []
    for season in seasons:
        kept = season.retained_counts if season.retention_done_at else None
        if kept is not None:
            students = dict(kept.get("students", {}))
            went = int(kept.get("students_went", 0))
            placed = {"current": 0, "ended": int(kept.get("placements", 0))}
        else:
            # Declined students erased before the season (services.retention) still count.
            counted = Counter(statuses[season.pk])
            counted.update(season.erased_early)
            students = dict(sorted(counted.items()))
            went = sum(n for status, n in students.items() if status in WENT)
            row = placements.get(season.pk, {"total": 0, "current": 0})
            placed = {"current": row["current"], "ended": row["total"] - row["current"]}
        result.append(
            {
                "slug": season.slug,
                "name": season.name,
                "kind": season.kind,
                "arrival_date": season.arrival_date.isoformat(),
                "departure_date": season.departure_date.isoformat(),
                "places": places.get(season.pk) or 0,
                "students": students,
                "students_went": went,
                "placements": placed,
                "personal_data_deleted": season.retention_done_at is not None,
            }
        )
    return result


@router.get(
    "/exchanges/seasons",
    response={200: list[SeasonOut], **errors(401, 403, 404, 422)},
    **token_or_session(EXCHANGES_READ),
)
def list_seasons(request: HttpRequest) -> Any:
    """Every season, latest arrival first, with its figures (staff only)."""
    _staff_only(request)
    return _figures(list(Season.objects.order_by("-arrival_date", "pk")))


@router.get(
    "/exchanges/seasons/{slug}",
    response={200: SeasonOut, **errors(401, 403, 404, 422)},
    **token_or_session(EXCHANGES_READ),
)
def get_season(request: HttpRequest, slug: str) -> Any:
    """One season's figures (staff only)."""
    _staff_only(request)
    return _figures([get_object_or_404(Season, slug=slug)])[0]


@router.get(
    "/exchanges/reciprocity",
    response={200: list[ReciprocityOut], **errors(401, 403, 404, 422)},
    **token_or_session(EXCHANGES_READ),
)
def reciprocity(request: HttpRequest) -> Any:
    """Students sent each way through each partnership that exchanged, year by year, from
    community A's side (staff only; the same counts as the partnership's page)."""
    from twinning.network.models import Partnership

    _staff_only(request)
    partnerships = Partnership.objects.filter(
        Q(pk__in=Quota.objects.values("partnership_id"))
        | Q(pk__in=ReciprocityFigure.objects.values("partnership_id"))
    ).select_related("community_a", "community_b")
    return [
        {
            "partnership_id": row.partnership_id,
            "first": row.first,
            "second": row.second,
            "first_sent": row.first_sent,
            "second_sent": row.second_sent,
            "years": [
                {"year": y.year, "first_sent": y.first_sent, "second_sent": y.second_sent}
                for y in row.years
            ],
        }
        for row in partnership_reciprocity(partnerships)
    ]
