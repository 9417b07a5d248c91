"""Staff pages: the seasons (create one), a season's places per committee and partnership,
and its students with their status and the guardian's consent."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.core.special import may_read_special
from twinning.exchanges.forms import QuotaForm, SeasonForm
from twinning.exchanges.models import Quota, Season, Student
from twinning.exchanges.services import students as services
from twinning.exchanges.views.common import hosting_committees


def _count(rows: QuerySet) -> Subquery:
    """How many `rows`: a correlated COUNT without GROUP BY (one row, 0 when none)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_home(request: HttpRequest) -> HttpResponse:
    form = SeasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            season = services.create_season(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Season created: now record the places offered."))
            return redirect("exchanges:season", slug=season.slug)
    # Each count a correlated subquery on its own index: a join of quotas and students with
    # COUNT(DISTINCT) read every quota-student pair (40,000 at 2,000 students).
    seasons = list(
        Season.objects.annotate(
            offers=_count(Quota.objects.filter(season=OuterRef("pk"))),
            nominated=_count(Student.objects.filter(season=OuterRef("pk"))),
        ).order_by("-arrival_date", "pk")
    )
    for season in seasons:  # declined students erased before the season still count
        season.nominated += sum(season.erased_early.values())
    committees = hosting_committees()
    context = {"form": form, "seasons": seasons, "committees": committees}
    context["reads_incidents"] = may_read_special(request.user)  # section 3's incidents
    return render(request, "exchanges/staff_home.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def season_detail(request: HttpRequest, slug: str) -> HttpResponse:
    season = get_object_or_404(Season, slug=slug)
    form = QuotaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_places(season=season, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Places recorded."))
            return redirect("exchanges:season", slug=season.slug)
    quotas = (
        Quota.objects.filter(season=season)
        .select_related("host", "partnership__community_a", "partnership__community_b")
        .annotate(taken=Count("students", filter=~Q(students__status__in=services.FREED)))
    )
    students = services.with_consents(Student.objects.filter(season=season).listed())
    context = {
        "season": season,
        "form": form,
        "quotas": quotas,
        "students": students,
        "unplaced_months": settings.EXCHANGES_UNPLACED_RETENTION_MONTHS,
        "erased_early": sum(season.erased_early.values()),
    }
    return render(request, "exchanges/season_detail.html", context)
