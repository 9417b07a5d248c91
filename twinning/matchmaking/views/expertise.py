"""The municipal expertise exchange's pages: a committee's offers and requests (with the
offers suggested for each request, and the link it sends a partner abroad) under
/portal/<member>/matchmaking/expertise/; the partner's single-use page; staff's open requests
with their suggested offers, a request's page, and a match's outcome under
/staff/matchmaking/expertise/; a request's withdrawal (its committee, or the partner
through its link) and a match declined by either side (or by staff on a side's behalf).

As the rest of matchmaking: another committee's member, offer or request answers 404 (C12); a
member whose membership lapsed is told why and how to renew (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.activities.queries import member_partnership_choices
from twinning.core.authz import NotAllowed
from twinning.core.forms import add_service_error
from twinning.matchmaking.access import membership_is_current
from twinning.matchmaking.forms import (
    DeclineForm,
    InviteForm,
    LinkRequestForm,
    MatchForm,
    OfferForm,
    OutcomeForm,
    RequestForm,
    StaffDeclineForm,
    WithdrawForm,
)
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseOffer, ExpertiseRequest
from twinning.matchmaking.queries import offer_suggestions
from twinning.matchmaking.services import (
    create_request,
    decline_match,
    decline_match_for_side,
    invite_partner_request,
    match_request,
    record_outcome,
    request_for_link,
    request_for_withdrawal,
    save_offer,
    submit_request_by_link,
    withdraw_request,
    withdraw_request_by_link,
)
from twinning.matchmaking.views.portal import _lapsed, _member
from twinning.network.models import Member

PER_PAGE = 20
SUGGESTED = 3  # offers shown beside each request on staff's list
BEST = 20  # offers shown on a request's page


def _current_member(request: HttpRequest, slug: str) -> tuple[Member, HttpResponse | None]:
    member = _member(request, slug)
    return member, (None if membership_is_current(member) else _lapsed(request, member))


def _request_of(member: Member, pk: int) -> ExpertiseRequest:
    return get_object_or_404(
        ExpertiseRequest.objects.of_member(member).select_related("community__country"), pk=pk
    )


# --- A committee's pages -----------------------------------------------------------------------


@login_required
@require_safe
def portal_expertise(request: HttpRequest, slug: str) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    offers = ExpertiseOffer.objects.of_member(member).select_related("community")
    matched_with = ExpertiseMatch.objects.live().filter(request=OuterRef("pk"))
    requests = list(
        ExpertiseRequest.objects.of_member(member)
        .select_related("community__country")
        .annotate(matched_with=Subquery(matched_with.values("offer__community__name")[:1]))
        .order_by("-created_at", "-pk")
    )
    # Matches of the member's offers still to take place: the offering side may decline them.
    offer_matches = list(
        ExpertiseMatch.objects.live()
        .filter(offer__member=member, recorded_at__isnull=True)
        .select_related("request__community__country", "offer__community")
        .order_by("-created_at", "-pk")
    )
    context = {
        "member": member,
        "offers": list(offers.order_by("-is_open", "field", "pk")),
        "requests": requests,
        "offer_matches": offer_matches,
        "decline_form": DeclineForm(),
        "invite_form": InviteForm(partnerships=member_partnership_choices(member)),
    }
    return render(request, "matchmaking/expertise/portal_home.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_offer(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    offer = None if pk is None else get_object_or_404(ExpertiseOffer, pk=pk, member=member)
    communities = None if offer else list(member.communities.order_by("name"))
    initial = OfferForm.initial_for(offer) if offer else {"is_open": True}
    form = OfferForm(request.POST or None, initial=initial, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if communities is not None:
            data["community"] = next(c for c in communities if c.slug == data["community"])
        try:
            save_offer(member=member, offer=offer, by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your offer of expertise is saved."))
            return redirect("matchmaking:portal_expertise", slug=member.slug)
    context = {"member": member, "offer": offer, "form": form}
    return render(request, "matchmaking/expertise/offer_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_request_new(request: HttpRequest, slug: str) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    communities = list(member.communities.order_by("name"))
    form = RequestForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = next(c for c in communities if c.slug == data.pop("community"))
        try:
            made = create_request(member=member, community=community, by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your request is open: here are the offers that fit."))
            return redirect("matchmaking:portal_request", slug=member.slug, pk=made.pk)
    return render(
        request, "matchmaking/expertise/request_form.html", {"member": member, "form": form}
    )


@login_required
@require_safe
def portal_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    asked = _request_of(member, pk)
    open_now = asked.state == ExpertiseRequest.State.OPEN
    context = {
        "member": member,
        "asked": asked,
        "rows": offer_suggestions([asked], limit=BEST).get(asked.pk, []) if open_now else [],
        "match": ExpertiseMatch.objects.for_list().live().filter(request=asked).first(),
        "match_form": MatchForm(),
        "withdraw_form": WithdrawForm(),
        "decline_form": DeclineForm(),
    }
    return render(request, "matchmaking/expertise/portal_request.html", context)


@login_required
@require_POST
def portal_request_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    asked = _request_of(member, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
        return redirect("matchmaking:portal_request", slug=member.slug, pk=asked.pk)
    try:
        withdraw_request(request=asked, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matchmaking:portal_request", slug=member.slug, pk=asked.pk)
    messages.success(
        request, _("Your request is withdrawn; we have told the other side, if there was one.")
    )
    return redirect("matchmaking:portal_expertise", slug=member.slug)


@login_required
@require_POST
def portal_match_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Either side declines a match: the requesting member on its request's page, the
    offering member on its exchange page."""
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    match = get_object_or_404(
        ExpertiseMatch.objects.of_member(member).select_related("request", "offer__community"),
        pk=pk,
    )
    back = (
        redirect("matchmaking:portal_request", slug=member.slug, pk=match.request_id)
        if match.request.member_id == member.pk
        else redirect("matchmaking:portal_expertise", slug=member.slug)
    )
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
        return back
    try:
        decline_match(
            match=match, member=member, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The match is declined; we have told the other side why."))
    return back


@login_required
@require_POST
def portal_match(request: HttpRequest, slug: str, pk: int, offer: int) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    asked = _request_of(member, pk)
    chosen = get_object_or_404(ExpertiseOffer.objects.select_related("community"), pk=offer)
    _match(request, asked, chosen)
    return redirect("matchmaking:portal_request", slug=member.slug, pk=asked.pk)


def _match(request: HttpRequest, asked: ExpertiseRequest, offer: ExpertiseOffer) -> None:
    form = MatchForm(request.POST)
    how = form.cleaned_data["form"] if form.is_valid() else ""
    try:
        match_request(request=asked, offer=offer, form=how, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Matched with %(c)s: we have introduced both sides by e-mail.")
            % {"c": offer.community.name},
        )


@login_required
@require_POST
def portal_invite(request: HttpRequest, slug: str) -> HttpResponse:
    member, refused = _current_member(request, slug)
    if refused:
        return refused
    form = InviteForm(request.POST, partnerships=member_partnership_choices(member))
    if not form.is_valid():
        messages.error(request, _("Choose one of your partnerships and enter an e-mail address."))
        return redirect("matchmaking:portal_expertise", slug=member.slug)
    partnership = member_partnership_choices(member).get(pk=form.cleaned_data["partnership"])
    try:
        invite_partner_request(
            member=member,
            partnership=partnership,
            contact_name=form.cleaned_data["contact_name"],
            contact_email=form.cleaned_data["contact_email"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We have sent your partner the link to write its request."))
    return redirect("matchmaking:portal_expertise", slug=member.slug)


# --- The partner's single-use link -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def expertise_link(request: HttpRequest, token: str) -> HttpResponse:
    invited = request_for_link(token)
    if invited is None:
        written = request_for_withdrawal(token)
        if written is None or request.method == "POST":
            raise Http404
        # The link the partner received once it wrote the request: to withdraw it.
        context = {"asked": written, "form": WithdrawForm()}
        return render(request, "matchmaking/expertise/link_withdraw.html", context)
    form = LinkRequestForm(request.POST or None, initial={"contact_name": invited.contact_name})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            submit_request_by_link(token=token, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return render(request, "matchmaking/expertise/link_done.html", {"invited": invited})
    context = {"invited": invited, "form": form, "withdraw_form": WithdrawForm()}
    return render(request, "matchmaking/expertise/link_form.html", context)


@require_POST
def expertise_link_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The partner withdraws through its link (the invitation, or the withdrawal link)."""
    asked = request_for_link(token) or request_for_withdrawal(token)
    if asked is None:
        raise Http404
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        context = {"asked": asked, "form": form}
        return render(request, "matchmaking/expertise/link_withdraw.html", context, status=400)
    try:
        withdraw_request_by_link(token=token, reason=form.cleaned_data["reason"])
    except NotAllowed as error:
        raise Http404 from error
    except ValidationError as error:
        add_service_error(form, error)
        context = {"asked": asked, "form": form}
        return render(request, "matchmaking/expertise/link_withdraw.html", context, status=400)
    return render(request, "matchmaking/expertise/link_withdrawn.html", {"asked": asked})


# --- Staff -------------------------------------------------------------------------------------


def _authorise(request: HttpRequest) -> None:
    if not request.user.has_perm("matchmaking.manage"):
        raise Http404


@staff_required
@require_safe
def staff_expertise(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    # The columns the list and the ranking read, not every column of three more tables.
    requests = (
        ExpertiseRequest.objects.open()
        .select_related("community__country", "member")
        .only(
            "created_at",
            "field",
            "languages",
            "forms",
            "state",
            "community__name",
            "community__country__name",
            "member__name",
        )
    )
    page = Paginator(requests.order_by("created_at", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    suggested = offer_suggestions(list(page), limit=SUGGESTED)
    matches = list(ExpertiseMatch.objects.for_list().order_by("-created_at", "-pk")[:20])
    context = {
        "page_obj": page,
        "rows": [(asked, suggested.get(asked.pk, [])) for asked in page],
        "matches": matches,
        "offer_count": ExpertiseOffer.objects.open().count(),
    }
    return render(request, "matchmaking/expertise/staff_list.html", context)


@staff_required
@require_safe
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    asked = get_object_or_404(
        ExpertiseRequest.objects.select_related("community__country", "member"), pk=pk
    )
    open_now = asked.state == ExpertiseRequest.State.OPEN
    context = {
        "asked": asked,
        "rows": offer_suggestions([asked], limit=BEST).get(asked.pk, []) if open_now else [],
        "match": ExpertiseMatch.objects.for_list().live().filter(request=asked).first(),
        "match_form": MatchForm(),
        "decline_form": StaffDeclineForm(),
    }
    return render(request, "matchmaking/expertise/staff_request.html", context)


@staff_required
@require_POST
def staff_match(request: HttpRequest, pk: int, offer: int) -> HttpResponse:
    _authorise(request)
    asked = get_object_or_404(ExpertiseRequest, pk=pk)
    chosen = get_object_or_404(ExpertiseOffer.objects.select_related("community"), pk=offer)
    _match(request, asked, chosen)
    return redirect("matchmaking:staff_expertise_request", pk=asked.pk)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    match = get_object_or_404(ExpertiseMatch.objects.for_list(), pk=pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and not match.is_recorded and form.is_valid():
        try:
            record_outcome(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect("matchmaking:staff_expertise_outcome", pk=match.pk)
        match.refresh_from_db()
    context = {"match": match, "form": form, "decline_form": StaffDeclineForm()}
    return render(request, "matchmaking/expertise/staff_outcome.html", context)


@staff_required
@require_POST
def staff_match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff decline a match on one side's behalf (a side that asked the association to)."""
    _authorise(request)
    match = get_object_or_404(ExpertiseMatch, pk=pk)
    form = StaffDeclineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("matchmaking:staff_expertise_outcome", pk=match.pk)
    try:
        decline_match_for_side(match=match, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matchmaking:staff_expertise_outcome", pk=match.pk)
    messages.success(
        request, _("The match is declined on that side's behalf; we have told both sides why.")
    )
    return redirect("matchmaking:staff_expertise_request", pk=match.request_id)
