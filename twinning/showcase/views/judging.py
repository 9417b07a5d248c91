"""Judging pages of the showcase: staff's progress per category and round, the national
ranking with decisions and publishing; a committee admin's local round; and the derivative
of a work for the reviewers who may see it (by its random storage name only, BLIND-1).

Scoring, the pools, assignment and forwarding are the review engine's own pages; these pages
link to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.authz import NotAllowed
from twinning.core.forms import add_service_error
from twinning.network.models import Member
from twinning.review.models import ReviewItem, Round
from twinning.review.queries import progress, ranking
from twinning.showcase.forms_results import DecisionForm, MemberChoiceForm
from twinning.showcase.judging import can_review_media
from twinning.showcase.models import Edition, Entry, EntryFile, JudgingRound
from twinning.showcase.services import (
    create_local_round,
    current_decisions,
    decide_entry,
    judging_has_opened,
    national_round,
    open_judging,
    publish_results,
)
from twinning.showcase.views._common import serve_entry_file


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition.objects.prefetch_related("categories"), slug=slug)


def _category_names(edition: Edition) -> dict[str, str]:
    return {category.slug: category.name for category in edition.categories.all()}


@staff_required
@require_safe
def staff_judging(request: HttpRequest, edition: str) -> HttpResponse:
    """Progress per round and category (the review engine's progress query), and the steps:
    open judging, decide, publish."""
    edition_obj = _edition(edition)
    names = _category_names(edition_obj)
    rounds = []
    judging_rounds = (
        JudgingRound.objects.filter(edition=edition_obj)
        .select_related("round", "member")
        .order_by("member__name")
    )
    for judging in judging_rounds:
        groups = progress(judging.round)
        rounds.append(
            {
                "judging": judging,
                "manage_url": _round_url(judging.round),
                "ranking_url": reverse("review:round_ranking", kwargs={"pk": judging.round.pk}),
                "groups": [{"name": names.get(g.group, g.group), "progress": g} for g in groups],
            }
        )
    waiting = (
        Entry.objects.eligible_for_judging()
        .filter(edition=edition_obj)
        .exclude(pk__in=_entry_ids_in_rounds(edition_obj))
        .count()
    )
    context = {
        "edition": edition_obj,
        "rounds": rounds,
        "waiting": waiting,
        "opened": judging_has_opened(edition_obj),
    }
    return render(request, "showcase/judging/staff_judging.html", context)


def _entry_ids_in_rounds(edition: Edition) -> list[int]:
    return [
        int(pk)
        for pk in ReviewItem.objects.filter(round__showcase_round__edition=edition).values_list(
            "object_id", flat=True
        )
    ]


@staff_required
@require_POST
def staff_judging_open(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = _edition(edition)
    try:
        added = open_judging(edition=edition_obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Judging is open: %(count)s entries were added to the rounds.")
            % {"count": sum(added.values())},
        )
    return redirect("showcase:staff_judging", edition=edition_obj.slug)


@staff_required
@require_safe
def staff_results(request: HttpRequest, edition: str) -> HttpResponse:
    """The national round's ranking per category with a decision form per entry. Staff see
    who made an entry only once it is decided (BLIND-6); before, the code and title as judges do."""
    edition_obj = _edition(edition)
    national = national_round(edition_obj)
    categories = []
    if national is not None:
        decisions = current_decisions(national.round)
        decided_ids = [int(d.item.object_id) for d in decisions.values()]
        identities = {
            entry.pk: entry
            for entry in Entry.objects.filter(pk__in=decided_ids).select_related(
                "student__community__country"
            )
        }
        rows = ranking(national.round)
        for category in edition_obj.categories.all():
            ranked = [row for row in rows if row.group == category.slug]
            for row in ranked:
                row.decision = decisions.get(row.item.pk)
                row.entry = identities.get(int(row.item.object_id)) if row.decision else None
            categories.append({"category": category, "rows": ranked})
    context = {
        "edition": edition_obj,
        "national": national,
        "categories": categories,
        "form": DecisionForm(),
    }
    return render(request, "showcase/judging/staff_results.html", context)


@staff_required
@require_POST
def staff_decide(request: HttpRequest, edition: str, item_id: int) -> HttpResponse:
    edition_obj = _edition(edition)
    national = national_round(edition_obj)
    if national is None:
        raise Http404
    item = get_object_or_404(ReviewItem, pk=item_id, round=national.round)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome, and a place for a winner."))
    else:
        try:
            decide_entry(edition=edition_obj, item=item, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded for %(code)s.") % {"code": item.code})
    return redirect(f"{_results_url(edition_obj)}#item-{item.code}")


def _results_url(edition: Edition) -> str:
    return reverse("showcase:staff_results", kwargs={"edition": edition.slug})


def _round_url(round: Round) -> str:
    """The review engine's page for managing a round (pool, assignments, scores, forwarding)."""
    return reverse("review:round_detail", kwargs={"pk": round.pk})


@staff_required
@require_POST
def staff_publish(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = _edition(edition)
    try:
        publish_results(edition=edition_obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The results are published. The e-mails to students, guardians and committees "
                "wait in the outbox for you to read and send."
            ),
        )
    return redirect("showcase:staff_judging", edition=edition_obj.slug)


# --- Committee admins ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_local_round(request: HttpRequest, edition: str) -> HttpResponse:
    """A committee admin sets up their committee's local round (before judging opens), then
    runs it on the review engine's round pages."""
    edition_obj = _edition(edition)
    members = Member.objects.administered_by(request.user).order_by("name")
    if not members.exists():
        raise Http404
    rounds = {
        judging.member_id: judging
        for judging in JudgingRound.objects.filter(
            edition=edition_obj, member__in=members
        ).select_related("round")
    }
    without = members.exclude(pk__in=list(rounds))
    form = MemberChoiceForm(request.POST or None, members=without)
    if request.method == "POST" and form.is_valid():
        try:
            create_local_round(
                edition=edition_obj, member=form.cleaned_data["member"], by=request.user
            )
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your local round is set up: invite your judges next."))
            return redirect("showcase:portal_local_round", edition=edition_obj.slug)
    context = {
        "edition": edition_obj,
        "rows": [
            {
                "member": m,
                "judging": rounds.get(m.pk),
                "round_url": _round_url(rounds[m.pk].round) if m.pk in rounds else "",
            }
            for m in members
        ],
        "form": form if without.exists() else None,
        "opened": judging_has_opened(edition_obj),
        "forward_limit": edition_obj.local_forward_limit,
    }
    return render(request, "showcase/judging/portal_local_round.html", context)


# --- Reviewers -------------------------------------------------------------------------------


@login_required
@require_safe
def judging_media(request: HttpRequest, name: str) -> HttpResponse:
    """A derivative for a reviewer: found by its storage name (random), served with a neutral
    download name ("work.jpg"); anyone without a live assignment for it gets 404 (C12)."""
    work_file = (
        EntryFile.objects.select_related("entry")
        .filter(Q(derivative_name=name) | Q(thumb_name=name))
        .first()
    )
    if work_file is None or not can_review_media(request.user, work_file.entry):
        raise Http404
    variant = "display" if work_file.derivative_name == name else "thumb"
    response = serve_entry_file(work_file, variant)
    response["Cache-Control"] = "private, no-store"
    return response
