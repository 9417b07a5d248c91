"""Staff pages: the seasons (create one), a season's places per committee and partnership,
and its students with their status and the guardian's consent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
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
from twinning.network.models import Member


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
    seasons = Season.objects.annotate(
        offers=Count("quotas", distinct=True), nominated=Count("students", distinct=True)
    ).order_by("-arrival_date", "pk")
    committees = Member.objects.filter(exchange_quotas__isnull=False).distinct().order_by("name")
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
    context = {"season": season, "form": form, "quotas": quotas, "students": students}
    return render(request, "exchanges/season_detail.html", context)
