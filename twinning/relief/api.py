"""Relief's part of the API, read-only: the appeals and projects `/relief/` lists (active and
closed), and any public appeal with its confirmed needs and its balances per currency (public,
or a token with `registry:read`). Never a donor's name, e-mail or address: the ledger's lines
are on the appeal's pages and in its CSV."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from twinning.core.api import errors
from twinning.network.api import MAX_PAGE_SIZE, PAGE_SIZE, BoundedPageNumberPagination
from twinning.network.scopes import REGISTRY_READ
from twinning.network.tokens import public_or_token
from twinning.relief import queries
from twinning.relief.models import Appeal

router = Router(tags=["relief"])


class BalanceOut(Schema):
    currency: str
    received: Decimal
    spent: Decimal
    balance: Decimal


class AppealOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    status: str
    community: str
    country: str
    goal: Decimal
    currency: str
    starts_on: str
    ends_on: str | None
    reported_on: str
    url: str
    balances: list[BalanceOut]

    @staticmethod
    def resolve_community(obj: Appeal) -> str:
        return obj.community.name

    @staticmethod
    def resolve_country(obj: Appeal) -> str:
        return obj.community.country_id

    @staticmethod
    def resolve_starts_on(obj: Appeal) -> str:
        return obj.starts_on.isoformat()

    @staticmethod
    def resolve_ends_on(obj: Appeal) -> str | None:
        return obj.ends_on.isoformat() if obj.ends_on else None

    @staticmethod
    def resolve_reported_on(obj: Appeal) -> str:
        return obj.reported_on.isoformat()

    @staticmethod
    def resolve_url(obj: Appeal) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_balances(obj: Appeal) -> list[dict[str, Any]]:
        return [
            {"currency": b.currency, "received": b.received, "spent": b.spent, "balance": b.balance}
            for b in queries.balances(obj, list(obj.totals.all()))
        ]


class NeedOut(Schema):
    kind: str
    title: str
    quantity: int
    unit: str
    priority: int
    pledged: int
    received: Decimal


class AppealDetailOut(AppealOut):
    needs: list[NeedOut]

    @staticmethod
    def resolve_needs(obj: Appeal) -> list[dict[str, Any]]:
        return [
            {
                "kind": n.kind,
                "title": n.title,
                "quantity": n.quantity,
                "unit": n.unit,
                "priority": n.priority,
                "pledged": n.pledged,
                "received": Decimal(n.received),
            }
            for n in obj.needs.all()
            if n.is_confirmed
        ]


def _appeals() -> Any:
    return Appeal.objects.public().select_related("community").prefetch_related("totals")


@router.get(
    "/relief/appeals",
    response={200: list[AppealOut], **errors(401, 403, 422)},
    **public_or_token(REGISTRY_READ),
)
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_appeals(request: HttpRequest) -> Any:
    """The appeals and projects `/relief/` lists: open and closed (never a draft; archived
    ones only by their address), latest first; 50 a page."""
    return (
        _appeals()
        .filter(status__in=[Appeal.Status.OPEN, Appeal.Status.CLOSED])
        .order_by("-starts_on", "pk")
    )


@router.get(
    "/relief/appeals/{slug}",
    response={200: AppealDetailOut, **errors(401, 403, 404, 422)},
    **public_or_token(REGISTRY_READ),
)
def get_appeal(request: HttpRequest, slug: str) -> Any:
    """One public appeal (open, closed or archived) with its confirmed needs and balances."""
    return get_object_or_404(_appeals().prefetch_related("needs"), slug=slug)
