"""Staff pages of activity reports, under /staff/activities/ and /staff/impact/: the list with
filters, a report's detail, sending it back with a message, verifying it, the dormant
partnerships, and the annual report. Every view is `staff_required` (signed in, staff,
second factor verified); writes go through the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.activities import services
from twinning.activities.forms import AnnualReportForm, RequestChangesForm
from twinning.activities.impact import reporting_years
from twinning.activities.models import Activity, AnnualReport, InvitationLetter, Kind, Sector
from twinning.activities.queries import (
    DORMANT_YEARS_DEFAULT,
    ActivityFilters,
    dormant_partnerships,
    last_activity_by_partnership,
)
from twinning.activities.views.common import letter_response, photo_response, report_response
from twinning.core.dates import association_today
from twinning.network.models import Region

PER_PAGE = 50
MAX_DORMANT_YEARS = 20


def _authorise(request: HttpRequest, perm: str) -> None:
    # staff_required has already turned away everyone else; this keeps each view's
    # permission visible in its first lines (C11) and refuses like a missing page (C12).
    if not request.user.has_perm(perm):
        raise Http404


@staff_required
@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "activities.review_activity")
    filters = ActivityFilters.from_query(request.GET)
    activities = filters.apply(Activity.objects.for_list()).order_by("-start_date", "-pk")
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "states": Activity.State.choices,
        "sectors": Sector.choices,
        "kinds": Kind.choices,
        "regions": Region.choices,
    }
    return render(request, "activities/staff/activity_list.html", context)


def _detail_context(activity: Activity, form: RequestChangesForm | None = None) -> dict:
    return {
        "activity": activity,
        "partnerships": activity.partnerships.select_related(
            "community_a__country", "community_b__country"
        ),
        "travellers": activity.travellers.select_related("letter"),
        "itinerary": activity.itinerary.all(),
        "photos": activity.photos.all(),
        "changes_form": form or RequestChangesForm(),
    }


@staff_required
@require_safe
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "activities.review_activity")
    activity = get_object_or_404(Activity.objects.select_related("member", "verified_by"), pk=pk)
    return render(request, "activities/staff/activity_detail.html", _detail_context(activity))


@staff_required
@require_POST
def activity_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "activities.review_activity")
    activity = get_object_or_404(Activity.objects.select_related("member"), pk=pk)
    form = RequestChangesForm(request.POST)
    if form.is_valid():
        try:
            services.request_changes(
                activity=activity, message=form.cleaned_data["message"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is sent back to the committee."))
            return redirect("activities:staff_activity_detail", pk=pk)
    context = _detail_context(activity, form)
    return render(request, "activities/staff/activity_detail.html", context, status=400)


@staff_required
@require_POST
def activity_verify(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "activities.review_activity")
    activity = get_object_or_404(Activity, pk=pk)
    try:
        services.verify_activity(activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is verified: it now counts in the figures."))
    return redirect("activities:staff_activity_detail", pk=pk)


@staff_required
@require_safe
def letter_download(request: HttpRequest, pk: int, traveller: int) -> HttpResponse:
    _authorise(request, "activities.download_letter")
    letter = get_object_or_404(
        InvitationLetter.objects.select_related("traveller"),
        traveller__activity_id=pk,
        traveller_id=traveller,
        state=InvitationLetter.State.READY,
    )
    return letter_response(letter)


@staff_required
@require_safe
def photo_file(request: HttpRequest, pk: int, photo: int, size: str) -> HttpResponse:
    _authorise(request, "activities.review_activity")
    activity = get_object_or_404(Activity, pk=pk)
    return photo_response(get_object_or_404(activity.photos, pk=photo), size)


@staff_required
@require_safe
def dormant_list(request: HttpRequest) -> HttpResponse:
    """Partnerships of the members' communities that are dormant or have no reported
    activity in N years (N from the query string, 1 to 20, default 2)."""
    _authorise(request, "activities.review_activity")
    text = request.GET.get("years", "")
    years = int(text) if text.isdigit() and 1 <= int(text) <= MAX_DORMANT_YEARS else None
    years = years or DORMANT_YEARS_DEFAULT
    partnerships = dormant_partnerships(years=years, today=association_today())
    page = Paginator(partnerships, PER_PAGE).get_page(request.GET.get("page"))
    last = last_activity_by_partnership([p.pk for p in page.object_list])
    rows = [{"partnership": p, "last": last.get(p.pk)} for p in page.object_list]
    context = {"page": page, "rows": rows, "years": years, "year_choices": range(1, 11)}
    return render(request, "activities/staff/dormant_list.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The annual reports: ask for one (built in the background) and download those ready."""
    _authorise(request, "activities.build_annual_report")
    form = AnnualReportForm(request.POST or None, years=reporting_years())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.request_annual_report(year=form.cleaned_data["year"], by=request.user)
            messages.success(
                request, _("The report is being prepared; refresh this page in a minute.")
            )
            return redirect("activities:staff_report_list")
        status = 400
    reports = AnnualReport.objects.select_related("requested_by")[:30]
    context = {"form": form, "reports": reports}
    return render(request, "activities/staff/report_list.html", context, status=status)


@staff_required
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "activities.build_annual_report")
    report = get_object_or_404(AnnualReport, pk=pk, state=AnnualReport.State.READY)
    return report_response(report)
