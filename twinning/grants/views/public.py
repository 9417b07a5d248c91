"""Public pages: a call (with the lump-sum calculator) and the funded projects."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.core.maps import cached_links_map_svg
from twinning.grants.forms import CalculatorForm
from twinning.grants.models import Call
from twinning.grants.queries import funded_grants, lump_sum, map_links
from twinning.grants.views.staff import project_page


@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("program"), slug=slug)
    form = CalculatorForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = lump_sum(call, **form.cleaned_data) or False
    return render(
        request,
        "grants/call_detail.html",
        {"call": call, "form": form, "lump_sum": found, "lump_sums": call.lump_sums.all()},
    )


@require_safe
def funded_list(request: HttpRequest) -> HttpResponse:
    grants = funded_grants()
    return render(
        request,
        "grants/funded_list.html",
        {
            "projects": project_page(request, grants),
            "calls": Call.objects.open_on(timezone.now()).select_related("program"),
            "map": cached_links_map_svg(map_links(grants), label=_("Funded partnerships")),
        },
    )
