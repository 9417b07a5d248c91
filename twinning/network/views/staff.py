"""Staff pages of the registry: the dashboard, the proposals queue, the data-quality list of
flagged locations, and recording or changing partnerships. Every view is `staff_required`
(signed in, staff, second factor verified); writes go through the network services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.core.geo import haversine_km
from twinning.core.models import ActivityLog
from twinning.network.choosers import community_choices
from twinning.network.forms import (
    ApproveProposalForm,
    ConfirmSideForm,
    DeclineProposalForm,
    LocationFilterForm,
    PartnershipRecordForm,
    PartnershipStatusForm,
)
from twinning.network.models import (
    Community,
    Country,
    ImportRun,
    Partnership,
    PartnershipProposal,
)
from twinning.network.services import (
    accept_suggested_location,
    approve_proposal,
    change_partnership_status,
    confirm_partnership,
    decline_proposal,
    dismiss_location_flag,
    record_partnership,
)

PAGE_SIZE = 50


def _authorise(request: HttpRequest, perm: str) -> None:
    # staff_required has already turned away everyone else; this keeps each view's
    # permission visible in its first lines (C11) and refuses like a missing page (C12).
    if not request.user.has_perm(perm):
        raise Http404


def _with_distance(community: Community) -> Community:
    points = (
        community.latitude,
        community.longitude,
        community.suggested_latitude,
        community.suggested_longitude,
    )
    community.distance_km = (  # type: ignore[attr-defined]
        haversine_km(*points) if all(v is not None for v in points) else None  # type: ignore[arg-type]
    )
    return community


# --- Dashboard ---------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    _authorise(request, "network.view_staff_pages")
    flagged = (
        Community.objects.needing_location_review()
        .values("location_status")
        .annotate(count=Count("pk"))
        .order_by("location_status")
    )
    labels = dict(Community.LocationStatus.choices)
    context = {
        "pending_count": PartnershipProposal.objects.filter(
            state=PartnershipProposal.State.PENDING
        ).count(),
        "flagged": [
            {
                "status": row["location_status"],
                "label": labels.get(row["location_status"]),
                "count": row["count"],
            }
            for row in flagged
        ],
        "activity": ActivityLog.objects.select_related("actor", "content_type")[:20],
        "imports": ImportRun.objects.all()[:5],
    }
    return render(request, "network/staff/dashboard.html", context)


# --- Proposals ---------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_proposal_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "network.decide_proposal")
    states = PartnershipProposal.State
    state = request.GET.get("state", states.PENDING)
    if state not in states.values:
        state = states.PENDING
    proposals = PartnershipProposal.objects.filter(state=state).select_related(
        "member", "community__country", "partner__country", "proposed_by"
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/staff/proposal_list.html",
        {"page": page, "state": state, "states": states.choices},
    )


def _proposal(pk: int) -> PartnershipProposal:
    return get_object_or_404(
        PartnershipProposal.objects.select_related(
            "member",
            "community__country",
            "partner__country",
            "proposed_by",
            "decided_by",
            "partnership",
        ),
        pk=pk,
    )


def _render_proposal(
    request: HttpRequest,
    proposal: PartnershipProposal,
    *,
    approve_form: ApproveProposalForm | None = None,
    decline_form: DeclineProposalForm | None = None,
) -> HttpResponse:
    context = {
        "proposal": proposal,
        "approve_form": approve_form or ApproveProposalForm(prefix="approve"),
        "decline_form": decline_form or DeclineProposalForm(prefix="decline"),
        "is_pending": proposal.state == PartnershipProposal.State.PENDING,
    }
    return render(request, "network/staff/proposal_detail.html", context)


@staff_required
@require_safe
def staff_proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "network.decide_proposal")
    return _render_proposal(request, _proposal(pk))


@staff_required
@require_POST
def staff_proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "network.decide_proposal")
    proposal = _proposal(pk)
    form = ApproveProposalForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            approve_proposal(
                proposal=proposal, message=form.cleaned_data["message"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The request is approved and the registry updated."))
            return redirect("network:staff_proposal_list")
    return _render_proposal(request, proposal, approve_form=form)


@staff_required
@require_POST
def staff_proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "network.decide_proposal")
    proposal = _proposal(pk)
    form = DeclineProposalForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            decline_proposal(
                proposal=proposal, message=form.cleaned_data["message"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The request is declined; the committee sees why."))
            return redirect("network:staff_proposal_list")
    return _render_proposal(request, proposal, decline_form=form)


# --- Data quality: flagged locations -----------------------------------------------------------


# Points staff can fix first (a suggestion to accept), then the ones with nothing to compare.
_SEVERITY = Case(
    When(location_status=Community.LocationStatus.OUTSIDE_COUNTRY, then=Value(0)),
    When(location_status=Community.LocationStatus.FAR_FROM_MATCH, then=Value(1)),
    When(location_status=Community.LocationStatus.PLACEHOLDER, then=Value(2)),
    default=Value(3),
)


@staff_required
@require_safe
def staff_location_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "network.review_locations")
    flagged = Community.objects.needing_location_review()
    form = LocationFilterForm(
        request.GET or None,
        countries=Country.objects.filter(code__in=flagged.values("country_id")),
    )
    filters = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    if filters.get("status"):
        flagged = flagged.filter(location_status=filters["status"])
    if filters.get("country"):
        flagged = flagged.filter(country=filters["country"])
    page = Paginator(
        flagged.select_related("country").order_by(_SEVERITY, "country__name", "name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    page.object_list = [_with_distance(c) for c in page.object_list]
    return render(request, "network/staff/location_list.html", {"page": page, "form": form})


def _location_action(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    _authorise(request, "network.review_locations")
    community = get_object_or_404(Community.objects.select_related("country"), pk=pk)
    error = ""
    try:
        if accept:
            accept_suggested_location(community=community, by=request.user)
            done = _("%(name)s now uses the gazetteer's point.") % {"name": community.name}
        else:
            dismiss_location_flag(community=community, by=request.user)
            done = _("%(name)s keeps its current point.") % {"name": community.name}
    except ValidationError as exc:
        community.refresh_from_db()
        error, done = " ".join(exc.messages), ""
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "network/staff/location_list.html#location-row",
            {
                "community": _with_distance(community),
                "done": done,
                "error": error,
                "next": request.POST.get("next", ""),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    # A path on this site only (INPUT-1): `redirect()` would take a bare word for a view name.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = reverse("network:staff_location_list")
    return redirect(target)


@staff_required
@require_POST
def staff_location_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _location_action(request, pk, accept=True)


@staff_required
@require_POST
def staff_location_keep(request: HttpRequest, pk: int) -> HttpResponse:
    return _location_action(request, pk, accept=False)


# --- Partnerships ------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_community_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the community choosers: [{value: slug, label: "Name (Region, Country)"}]."""
    _authorise(request, "network.record_partnership")
    return JsonResponse({"results": community_choices(request.GET.get("q", ""))})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_partnership_create(request: HttpRequest) -> HttpResponse:
    _authorise(request, "network.record_partnership")
    form = PartnershipRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = record_partnership(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The partnership is recorded."))
            return redirect("network:staff_partnership_status", pk=partnership.pk)
    return render(request, "network/staff/partnership_form.html", {"form": form})


def _partnership(pk: int) -> Partnership:
    return get_object_or_404(
        Partnership.objects.select_related("community_a__country", "community_b__country"), pk=pk
    )


def _render_partnership(
    request: HttpRequest,
    partnership: Partnership,
    *,
    status_form: PartnershipStatusForm | None = None,
    confirm_form: ConfirmSideForm | None = None,
) -> HttpResponse:
    context = {
        "partnership": partnership,
        "history": partnership.status_changes.select_related("recorded_by"),
        "proposals": partnership.proposals.select_related("member"),
        "status_form": status_form or PartnershipStatusForm(),
        "confirm_form": confirm_form or ConfirmSideForm(partnership=partnership),
    }
    return render(request, "network/staff/partnership_detail.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_partnership_status(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "network.manage_partnership")
    partnership = _partnership(pk)
    if request.method != "POST":
        return _render_partnership(request, partnership)
    form = PartnershipStatusForm(request.POST)
    if form.is_valid():
        try:
            change_partnership_status(partnership=partnership, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
            partnership.refresh_from_db()
        else:
            messages.success(request, _("The partnership's status is changed."))
            return redirect("network:staff_partnership_status", pk=partnership.pk)
    return _render_partnership(request, partnership, status_form=form)


@staff_required
@require_POST
def staff_partnership_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "network.manage_partnership")
    partnership = _partnership(pk)
    form = ConfirmSideForm(request.POST, partnership=partnership)
    if not form.is_valid():
        return _render_partnership(request, partnership, confirm_form=form)
    confirm_partnership(partnership=partnership, side=form.cleaned_data["side"], by=request.user)
    messages.success(
        request,
        _("The confirmation of %(side)s is recorded.") % {"side": form.cleaned_data["side"]},
    )
    return redirect("network:staff_partnership_status", pk=partnership.pk)
