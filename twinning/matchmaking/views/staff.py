"""Staff pages of matchmaking, under /staff/matchmaking/: every profile with the interest
around it, listing a community abroad at a partner association's request, editing any
profile, and a profile's suggestions (staff may say "interested" for a listed community)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.matchmaking.forms import InterestForm, ListCommunityForm, ProfileForm
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.matchmaking.queries import suggestions_for
from twinning.matchmaking.services import express_interest, list_community_abroad, save_profile
from twinning.network.models import Community

PER_PAGE = 50


def _authorise(request: HttpRequest) -> None:
    if not request.user.has_perm("matchmaking.manage"):
        raise Http404


def _profile(slug: str) -> SeekingProfile:
    return get_object_or_404(
        SeekingProfile.objects.select_related("community__country"), community__slug=slug
    )


@staff_required
@require_safe
def staff_profile_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    profiles = SeekingProfile.objects.select_related("community__country").order_by(
        "-is_open", "community__name", "pk"
    )
    page = Paginator(profiles, PER_PAGE).get_page(request.GET.get("page"))
    mutual = (
        Interest.objects.filter(partnership__isnull=False)
        .select_related("community", "target", "partnership")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "matchmaking/staff/profile_list.html",
        {"page_obj": page, "mutual": list(mutual)},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_profile_create(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = ListCommunityForm(request.POST or None, initial={"is_open": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data.pop("community")
        try:
            list_community_abroad(community=community, by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(c)s is listed as seeking a partner.") % {"c": community})
            return redirect("matchmaking:staff_profile_list")
    return render(request, "matchmaking/staff/profile_create.html", {"form": form})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    profile = _profile(slug)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(community=profile.community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("matchmaking:staff_profile_list")
    context = {"profile": profile, "community": profile.community, "form": form}
    return render(request, "matchmaking/staff/profile_edit.html", context)


@staff_required
@require_safe
def staff_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    profile = _profile(slug)
    context = {
        "profile": profile,
        "community": profile.community,
        "rows": suggestions_for(profile.community),
        "interest_form": InterestForm(),
    }
    return render(request, "matchmaking/staff/suggestions.html", context)


@staff_required
@require_POST
def staff_interest(request: HttpRequest, slug: str, target: str) -> HttpResponse:
    _authorise(request)
    profile = _profile(slug)
    other = get_object_or_404(Community, slug=target)
    form = InterestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        express_interest(community=profile.community, target=other, note=note, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Interest in %(o)s recorded.") % {"o": other.name})
    return redirect("matchmaking:staff_suggestions", slug=slug)
