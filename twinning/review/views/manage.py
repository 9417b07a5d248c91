"""The round managers' pages: verified staff for every round, a member's committee admins
for its local rounds (`review.manage_round`). Rounds are looked up through
`Round.objects.managed_by(user)`, so another committee's round answers 404 (C12); staff who
have not entered their second factor are sent to the code page first. Every write is a POST
to one small view that calls one service."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.accounts.decorators import otp_verify_url
from twinning.core.authz import NotAllowed, is_verified_staff
from twinning.core.exports import csv_lines
from twinning.review.forms import (
    AdvanceForm,
    ConflictForm,
    DecisionForm,
    ForwardForm,
    InviteForm,
    ReassignForm,
    ReviewerAddForm,
    RoundStateForm,
)
from twinning.review.models import Assignment, Reviewer, ReviewItem, Round
from twinning.review.queries import RankingPageRows, RankingView, progress_with_judges, ranking
from twinning.review.services import (
    add_reviewer,
    advance_top,
    assign_reviews,
    change_round_state,
    deactivate_reviewer,
    declare_conflict,
    forward_items,
    invite_reviewer,
    reassign,
    record_decision,
    revoke_assignment,
)

RANKING_PAGE = 100


def _gate(request: HttpRequest) -> HttpResponse | None:
    """Anonymous to sign-in; staff without their second factor to the code page."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_staff and not is_verified_staff(user):
        return redirect(otp_verify_url(request.get_full_path()))
    return None


def round_view(*, methods: tuple[str, ...]) -> Callable:
    """Gate, look the round up among those the user manages (404 otherwise), check the
    permission, then the method; responses are never stored (they hold scores)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            if (response := _gate(request)) is not None:
                return response
            round = get_object_or_404(Round.objects.managed_by(request.user), pk=pk)
            if not request.user.has_perm("review.manage_round", round):
                raise Http404
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            response = view(request, round, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response

        return wrapped

    return decorator


def _back(round: Round) -> HttpResponse:
    return redirect("review:round_detail", pk=round.pk)


def _report(request: HttpRequest, form: Any) -> None:
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)


@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    if (response := _gate(request)) is not None:
        return response
    if not request.user.has_perm("review.view_round_list"):
        raise Http404
    rounds = (
        Round.objects.managed_by(request.user)
        .select_related("owner_member", "content_type")
        .annotate(item_count=Count("items", distinct=True))
    )
    response = render(request, "review/round_list.html", {"rounds": rounds})
    patch_cache_control(response, private=True, no_store=True)
    return response


@round_view(methods=("GET", "HEAD"))
def round_detail(request: HttpRequest, round: Round) -> HttpResponse:
    groups, loads = progress_with_judges(round)
    reviewers = list(round.reviewers.select_related("user", "community", "member"))
    for reviewer in reviewers:
        reviewer.due, reviewer.done = loads.get(reviewer.pk, (0, 0))
    context = {
        "round": round,
        "groups": groups,
        "reviewers": reviewers,
        "criteria": round.criteria.all(),
        "state_form": RoundStateForm(round=round),
        "add_form": ReviewerAddForm(),
        "invite_form": InviteForm(),
        "conflict_form": ConflictForm(round=round),
        "advance_form": AdvanceForm(initial={"n": round.forward_limit or 5}),
        "forward_form": ForwardForm(round=round),
        "invitations": round.invitations.filter(accepted_at__isnull=True)[:50],
    }
    return render(request, "review/round_detail.html", context)


@round_view(methods=("GET", "HEAD"))
def round_ranking(request: HttpRequest, round: Round) -> HttpResponse:
    view = RankingView(round)
    group = request.GET.get("group") or None
    rows = RankingPageRows(view, group)
    page = Paginator(rows, RANKING_PAGE).get_page(request.GET.get("page"))
    context = {"round": round, "page": page, "group": group or "", "groups": view.groups}
    return render(request, "review/round_ranking.html", context)


@round_view(methods=("GET", "HEAD"))
def round_ranking_csv(request: HttpRequest, round: Round) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ranking-round-{round.pk}.csv"'
    header = [
        _("group"),
        _("rank"),
        _("tie"),
        _("code"),
        _("title"),
        _("reviews"),
        _("raw mean"),
        _("weighted total"),
        _("normalised"),
        _("decision"),
    ]
    rows = (
        (
            row.group,
            row.rank,
            _("yes") if row.tie else "",
            row.item.code,
            row.item.title,
            row.reviews,
            row.raw_mean,
            row.weighted_total,
            None if row.normalised is None else f"{row.normalised:.4f}",
            row.decision.get_outcome_display() if row.decision else "",
        )
        for row in ranking(round)
    )
    response.writelines(csv_lines(header, rows))  # formula-safe (INPUT-6)
    return response


@round_view(methods=("GET", "HEAD"))
def item_manage(request: HttpRequest, round: Round, item_pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewItem.objects.filter(round=round), pk=item_pk)
    assignments = (
        item.assignments.select_related("reviewer__user")
        .prefetch_related("scores__criterion")
        .order_by("revoked_at", "pk")
    )
    context = {
        "round": round,
        "item": item,
        "assignments": assignments,
        "reassign_form": ReassignForm(round=round),
        "decision_form": DecisionForm(),
        "decisions": item.decisions.select_related("decided_by"),
    }
    return render(request, "review/item_manage.html", context)


@round_view(methods=("POST",))
def round_state(request: HttpRequest, round: Round) -> HttpResponse:
    form = RoundStateForm(request.POST, round=round)
    if form.is_valid():
        try:
            round = change_round_state(
                round=round, state=form.cleaned_data["state"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The round is now “%(state)s”.") % {"state": round.get_state_display()}
            )
    else:
        _report(request, form)
    return _back(round)


@round_view(methods=("POST",))
def round_assign(request: HttpRequest, round: Round) -> HttpResponse:
    try:
        summary = assign_reviews(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(round)
    messages.success(
        request,
        _("%(count)s assignments made; loads differ by at most %(spread)s.")
        % {"count": summary.created, "spread": summary.spread},
    )
    if summary.short:
        messages.warning(
            request,
            _("These items cannot get enough reviewers without a conflict: %(codes)s.")
            % {"codes": ", ".join(i.code for i in summary.short[:50])},
        )
    return _back(round)


@round_view(methods=("POST",))
def reviewer_add(request: HttpRequest, round: Round) -> HttpResponse:
    form = ReviewerAddForm(request.POST)
    if form.is_valid():
        add_reviewer(round=round, user=form.cleaned_data["user"], by=request.user)
        messages.success(request, _("The reviewer is in the pool."))
    else:
        _report(request, form)
    return _back(round)


@round_view(methods=("POST",))
def reviewer_invite(request: HttpRequest, round: Round) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        invite_reviewer(round=round, email=form.cleaned_data["email"], by=request.user)
        messages.success(request, _("The invitation is on its way (valid 7 days)."))
    else:
        _report(request, form)
    return _back(round)


@round_view(methods=("POST",))
def reviewer_deactivate(request: HttpRequest, round: Round, reviewer_pk: int) -> HttpResponse:
    reviewer = get_object_or_404(Reviewer.objects.filter(round=round), pk=reviewer_pk)
    deactivate_reviewer(reviewer=reviewer, by=request.user)
    messages.success(request, _("The reviewer is out of the pool; their open reviews are revoked."))
    return _back(round)


@round_view(methods=("POST",))
def conflict_declare(request: HttpRequest, round: Round) -> HttpResponse:
    form = ConflictForm(request.POST, round=round)
    if form.is_valid():
        try:
            declare_conflict(
                reviewer=form.cleaned_data["reviewer"],
                item=form.cleaned_data["item"],
                key=form.cleaned_data["key"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("The conflict is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        _report(request, form)
    return _back(round)


def _assignment_of(round: Round, assignment_pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.filter(item__round=round).select_related("item"), pk=assignment_pk
    )


@round_view(methods=("POST",))
def assignment_reassign(request: HttpRequest, round: Round, assignment_pk: int) -> HttpResponse:
    assignment = _assignment_of(round, assignment_pk)
    form = ReassignForm(request.POST, round=round)
    if form.is_valid():
        try:
            reassign(assignment=assignment, reviewer=form.cleaned_data["reviewer"], by=request.user)
            messages.success(request, _("The review is reassigned."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        _report(request, form)
    return redirect("review:item_manage", pk=round.pk, item_pk=assignment.item_id)


@round_view(methods=("POST",))
def assignment_revoke(request: HttpRequest, round: Round, assignment_pk: int) -> HttpResponse:
    assignment = _assignment_of(round, assignment_pk)
    revoke_assignment(assignment=assignment, by=request.user)
    messages.success(request, _("The review is revoked."))
    return redirect("review:item_manage", pk=round.pk, item_pk=assignment.item_id)


@round_view(methods=("POST",))
def item_decide(request: HttpRequest, round: Round, item_pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewItem.objects.filter(round=round), pk=item_pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            record_decision(item=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("The decision is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        _report(request, form)
    return redirect("review:item_manage", pk=round.pk, item_pk=item.pk)


def _next_round(request: HttpRequest, round: Round) -> Round | None:
    if round.next_round is None:
        messages.error(request, _("This round has no next round to send items to."))
    return round.next_round


@round_view(methods=("POST",))
def items_forward(request: HttpRequest, round: Round) -> HttpResponse:
    form = ForwardForm(request.POST, round=round)
    if (to_round := _next_round(request, round)) is None:
        return _back(round)
    if form.is_valid():
        try:
            done = forward_items(
                items=form.cleaned_data["codes"], to_round=to_round, by=request.user
            )
            messages.success(request, _("%(count)s items sent on.") % {"count": len(done)})
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        _report(request, form)
    return _back(round)


@round_view(methods=("POST",))
def round_advance(request: HttpRequest, round: Round) -> HttpResponse:
    form = AdvanceForm(request.POST)
    if (to_round := _next_round(request, round)) is None:
        return _back(round)
    if form.is_valid():
        try:
            done = advance_top(
                round=round, n=form.cleaned_data["n"], to_round=to_round, by=request.user
            )
            messages.success(request, _("%(count)s items sent on.") % {"count": len(done)})
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        _report(request, form)
    return _back(round)
