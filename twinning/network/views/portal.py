"""The committee admins' portal: their member organisations, the communities and partnerships
of each, the public profile, and requests to staff (new partnerships, changes of status) and
confirmations. Lookups go through `Member.objects.administered_by(user)`, so another member's
objects answer 404 like missing ones (C12)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.authz import NotAllowed
from twinning.core.forms import add_service_error
from twinning.network.choosers import community_choices
from twinning.network.forms import (
    ConfirmSideForm,
    MemberProfileForm,
    ProposalForm,
    StatusProposalForm,
)
from twinning.network.models import Community, Member, Partnership, PartnershipProposal
from twinning.network.services import (
    confirm_partnership,
    propose_partnership,
    update_member_profile,
)


def _member(request: HttpRequest, slug: str) -> Member:
    return get_object_or_404(Member.objects.administered_by(request.user), slug=slug)


def _partnerships_of(member: Member) -> QuerySet[Partnership]:
    ids = member.communities.values("pk")
    return Partnership.objects.filter(Q(community_a__in=ids) | Q(community_b__in=ids))


def _own_side(partnership: Partnership, own_ids: set[int]) -> tuple[Community, Community]:
    """(our community, the partner) for a partnership with at least one side of ours."""
    if partnership.community_a_id in own_ids:
        return partnership.community_a, partnership.community_b
    return partnership.community_b, partnership.community_a


@login_required
@require_safe
def portal_home(request: HttpRequest) -> HttpResponse:
    """A signed-in user who administers no member gets a friendly page (200) saying so, with
    the association's contact; the member pages themselves answer 404 to them."""
    members = Member.objects.administered_by(request.user).prefetch_related("communities")
    return render(request, "network/portal/home.html", {"members": members})


@login_required
@require_safe
def portal_member(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    communities = list(member.communities.select_related("country"))
    own_ids = {c.pk for c in communities}
    rows: dict[int, list[dict]] = {c.pk: [] for c in communities}
    partnerships = _partnerships_of(member).select_related(
        "community_a__country", "community_b__country"
    )
    for partnership in partnerships:
        for side in (partnership.community_a, partnership.community_b):
            if side.pk in own_ids:
                rows[side.pk].append(
                    {
                        "partnership": partnership,
                        "partner": partnership.partner_of(side),
                        "ours": partnership.is_confirmed_by(side),
                        "theirs": partnership.is_confirmed_by(partnership.partner_of(side)),
                        "side": side,
                    }
                )
    context = {
        "member": member,
        "communities": [{"community": c, "partnerships": rows[c.pk]} for c in communities],
        "proposals": member.proposals.select_related("community", "partner", "proposed_by"),
    }
    return render(request, "network/portal/member_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_member_edit(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    if not request.user.has_perm("network.edit_member", member):
        raise Http404
    form = MemberProfileForm(request.POST or None, initial=MemberProfileForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            update_member_profile(member=member, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your public profile is saved."))
            return redirect("network:portal_member", slug=member.slug)
    return render(request, "network/portal/member_form.html", {"member": member, "form": form})


@login_required
@require_safe
def portal_community_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the partner chooser; only for committee admins."""
    if not request.user.has_perm("network.use_member_portal"):
        raise Http404
    return JsonResponse({"results": community_choices(request.GET.get("q", ""))})


def _propose(
    request: HttpRequest, form: ProposalForm | StatusProposalForm, member: Member, **fields: object
) -> PartnershipProposal | None:
    """Hand the request to the service; on a refusal the error lands on the form."""
    try:
        return propose_partnership(member=member, by=request.user, **fields)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise Http404 from error
    except ValidationError as error:
        add_service_error(form, error)
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    if not request.user.has_perm("network.propose_partnership", member):
        raise Http404
    form = ProposalForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        proposal = _propose(
            request, form, member, action=PartnershipProposal.Action.NEW, **form.cleaned_data
        )
        if proposal is not None:
            messages.success(request, _("Your request is sent to staff for review."))
            return redirect("network:portal_member", slug=member.slug)
    return render(request, "network/portal/proposal_form.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_status_proposal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    partnership = get_object_or_404(
        _partnerships_of(member).select_related("community_a__country", "community_b__country"),
        pk=pk,
    )
    if not request.user.has_perm("network.propose_partnership", member):
        raise Http404
    ours, partner = _own_side(partnership, set(member.communities.values_list("pk", flat=True)))
    form = StatusProposalForm(request.POST or None, initial={"status": partnership.status})
    if request.method == "POST" and form.is_valid():
        proposal = _propose(
            request,
            form,
            member,
            action=PartnershipProposal.Action.STATUS,
            community=ours,
            partner=partner,
            kind=partnership.kind,
            **form.cleaned_data,
        )
        if proposal is not None:
            messages.success(request, _("Your request is sent to staff for review."))
            return redirect("network:portal_member", slug=member.slug)
    context = {"member": member, "partnership": partnership, "ours": ours, "partner": partner}
    return render(request, "network/portal/status_form.html", {**context, "form": form})


@login_required
@require_POST
def portal_partnership_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    partnership = get_object_or_404(_partnerships_of(member), pk=pk)
    if not request.user.has_perm("network.propose_partnership", member):
        raise Http404
    form = ConfirmSideForm(request.POST, partnership=partnership, within=member.communities.all())
    if form.is_valid():
        side = form.cleaned_data["side"]
        confirm_partnership(partnership=partnership, side=side, by=request.user)
        messages.success(request, _("You confirmed this partnership for %(c)s.") % {"c": side})
    else:
        messages.error(request, _("Choose one of your own communities to confirm for."))
    return redirect("network:portal_member", slug=member.slug)
