"""A page of a long list, one copy for every app: Django's `Paginator` with the numbers the
shared navigator (`components/pagination.html`) shows, the current page with two on each
side and one at each end (`elided_range`). Use:
`{% include "components/pagination.html" with page_obj=page request=request only %}`."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(
    request: HttpRequest, items: Any, per_page: int | None = None, *, count: int | None = None
) -> Page:
    """The page `?page=` asks for (the last for a number beyond it, the first for anything
    else), `per_page` items a page (`PAGE_SIZE` unless given); a queryset is sliced in SQL
    after one COUNT, or none when the caller knows the `count` already."""
    paginator = Paginator(items, per_page or PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(  # type: ignore[attr-defined]
        page.number, on_each_side=2, on_ends=1
    )
    return page
