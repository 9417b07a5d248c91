"""The public impact page (`/impact/`) and its CSV and XLSX exports: anyone may read them.
They show verified activities only (the page says so)."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.activities import exports
from twinning.activities.impact import (
    ImpactFilters,
    for_display,
    impact_figures,
    impact_fingerprint,
)
from twinning.core.charts import bar_chart_svg
from twinning.network.models import Region


def _display(request: HttpRequest) -> tuple[ImpactFilters, dict]:
    filters = ImpactFilters.from_query(request.GET)
    return filters, for_display(impact_figures(filters))


def _charts(display: dict) -> dict:
    def chart(rows: list[dict], key: str, title: str, limit: int = 15) -> object:
        return bar_chart_svg([(str(r["label"]), int(r[key])) for r in rows[:limit]], title=title)

    return {
        "by_year": chart(display["by_year"], "activities", _("Activities by year")),
        "by_sector": chart(display["by_sector"], "activities", _("Activities by sector")),
        "by_kind": chart(display["by_kind"], "activities", _("Activities by kind")),
        "by_region": chart(display["by_region"], "activities", _("Activities by region")),
        "by_country": chart(
            display["by_country"], "activities", _("Top 15 countries by activities")
        ),
        "partnerships": bar_chart_svg(
            [(str(r["label"]), r["count"]) for r in display["partnerships_by_status"]],
            title=_("Partnerships by status"),
        ),
    }


@require_safe
def impact(request: HttpRequest) -> HttpResponse:
    """The page's body is cached as HTML under the data's fingerprint, the filters and the
    language: a repeat visit costs the fingerprint's queries and no drawing. The figures and
    charts are lazy, so they are only read when the body must be drawn."""
    filters = ImpactFilters.from_query(request.GET)
    version = impact_fingerprint()
    display = SimpleLazyObject(lambda: for_display(impact_figures(filters, version=version)))
    context = {
        "filters": filters,
        "figures": display,
        "charts": SimpleLazyObject(lambda: _charts(display)),
        "regions": Region.choices,
        "export_query": urlencode(filters.as_query()),
        "fingerprint": version,
    }
    return render(request, "activities/impact.html", context)


@require_safe
def impact_csv(request: HttpRequest) -> HttpResponse:
    _filters, display = _display(request)
    response = HttpResponse(exports.impact_csv(display), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="impact.csv"'
    return response


@require_safe
def impact_xlsx(request: HttpRequest) -> HttpResponse:
    _filters, display = _display(request)
    response = HttpResponse(
        exports.impact_xlsx(display),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="impact.xlsx"'
    return response
