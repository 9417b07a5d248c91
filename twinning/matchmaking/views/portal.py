"""A committee's matchmaking pages, under /portal/<member>/matchmaking/: its communities'
profiles and the interest sent and received, a profile's form, and the suggestions for one
of its communities with the reasons of each (and the button to say "interested").

Another committee's member or community answers 404 (C12); a member whose membership has
lapsed is told why, and how to renew, with 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.matchmaking.access import membership_is_current
from twinning.matchmaking.forms import InterestForm, ProfileForm
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.matchmaking.queries import suggestions_for
from twinning.matchmaking.services import express_interest, save_profile, withdraw_interest
from twinning.members.status import member_status
from twinning.network.models import Community, Member


def _member(request: HttpRequest, slug: str) -> Member:
    return get_object_or_404(Member.objects.administered_by(request.user), slug=slug)


def _lapsed(request: HttpRequest, member: Member) -> HttpResponse:
    status = member_status(member)
    return render(
        request,
        "matchmaking/portal/lapsed.html",
        {"member": member, "explanation": status.explanation},
        status=403,
    )


def _community(member: Member, slug: str) -> Community:
    return get_object_or_404(member.communities.select_related("country"), slug=slug)


@login_required
@require_safe
def portal_home(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    if not membership_is_current(member):
        return _lapsed(request, member)
    communities = list(
        member.communities.select_related("country", "seeking_profile").order_by("name")
    )
    ids = [c.pk for c in communities]
    interests = list(
        Interest.objects.filter(Q(community__in=ids) | Q(target__in=ids))
        .select_related("community__country", "target__country")
        .order_by("-created_at", "-pk")
    )
    context = {
        "member": member,
        "communities": [(c, getattr(c, "seeking_profile", None)) for c in communities],
        "sent": [i for i in interests if i.community_id in ids],
        "received": [i for i in interests if i.target_id in ids and i.community_id not in ids],
    }
    return render(request, "matchmaking/portal/home.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_profile(request: HttpRequest, slug: str, community: str) -> HttpResponse:
    member = _member(request, slug)
    if not membership_is_current(member):
        return _lapsed(request, member)
    place = _community(member, community)
    profile = SeekingProfile.objects.filter(community=place).first()
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(community=place, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The profile of %(c)s is saved.") % {"c": place.name})
            return redirect("matchmaking:portal_home", slug=member.slug)
    context = {"member": member, "community": place, "profile": profile, "form": form}
    return render(request, "matchmaking/portal/profile_form.html", context)


@login_required
@require_safe
def portal_suggestions(request: HttpRequest, slug: str, community: str) -> HttpResponse:
    member = _member(request, slug)
    if not membership_is_current(member):
        return _lapsed(request, member)
    place = _community(member, community)
    context = {
        "member": member,
        "community": place,
        "profile": SeekingProfile.objects.filter(community=place).first(),
        "rows": suggestions_for(place),
        "interest_form": InterestForm(),
    }
    return render(request, "matchmaking/portal/suggestions.html", context)


@login_required
@require_POST
def portal_interest(request: HttpRequest, slug: str, community: str, target: str) -> HttpResponse:
    member = _member(request, slug)
    if not membership_is_current(member):
        return _lapsed(request, member)
    place = _community(member, community)
    other = get_object_or_404(Community, slug=target)
    form = InterestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        interest = express_interest(community=place, target=other, note=note, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if interest.is_mutual:
            messages.success(
                request,
                _("%(o)s is interested too: we have introduced you by e-mail.") % {"o": other.name},
            )
        else:
            messages.success(request, _("We told %(o)s of your interest.") % {"o": other.name})
    return redirect("matchmaking:portal_suggestions", slug=member.slug, community=place.slug)


@login_required
@require_POST
def portal_interest_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    if not membership_is_current(member):
        return _lapsed(request, member)
    interest = get_object_or_404(Interest, pk=pk, community__members=member)
    try:
        withdraw_interest(interest=interest, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your interest is withdrawn."))
    return redirect("matchmaking:portal_home", slug=member.slug)
