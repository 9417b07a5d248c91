"""The judges' pages: their queue across open rounds, and one item (the work and the rubric).
A judge reaches an item only through a live assignment of theirs (`Assignment.objects.
for_judge`), so anything else - another judge's item, a revoked one - answers 404 (C12, C5).
Blind: these pages show the item's code, its title and the work, never who made it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.core.authz import NotAllowed
from twinning.core.forms import add_service_error
from twinning.review.forms import ScoreForm
from twinning.review.models import Assignment, Score
from twinning.review.queries import judge_queue
from twinning.review.services import save_scores

QUEUE_ROWS = 50


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The judge's rounds, what is still to do first; a round's first 50 rows unless the judge
    asks for all (a national judge has hundreds)."""
    show_all = request.GET.get("all") == "1"
    rounds = judge_queue(request.user)
    for entry in rounds:
        entry["shown"] = entry["assignments"] if show_all else entry["assignments"][:QUEUE_ROWS]
        entry["hidden"] = len(entry["assignments"]) - len(entry["shown"])
    return render(request, "review/queue.html", {"rounds": rounds, "show_all": show_all})


def _assignment(request: HttpRequest, code: str) -> Assignment:
    return get_object_or_404(
        Assignment.objects.for_judge(request.user).select_related("item__round", "reviewer"),
        item__code=code,
    )


def _other_scores(assignment: Assignment) -> list[dict]:
    """Other judges' submitted scores of this item, anonymous, once this judge has submitted
    and if the round shows them (BLIND-5)."""
    round = assignment.item.round
    if not (assignment.is_submitted and round.judges_see_other_scores):
        return []
    others = (
        Assignment.objects.submitted()
        .filter(item=assignment.item)
        .exclude(pk=assignment.pk)
        .prefetch_related("scores__criterion")
        .order_by("submitted_at")
    )
    return [
        {
            "number": number,
            "scores": sorted(other.scores.all(), key=lambda s: (s.criterion.order, s.criterion_id)),
        }
        for number, other in enumerate(others, start=1)
    ]


def _initial(assignment: Assignment) -> dict:
    initial = {
        f"criterion_{s.criterion_id}": s.value for s in Score.objects.filter(assignment=assignment)
    }
    initial.update(
        comment_to_entrant=assignment.comment_to_entrant,
        comment_to_staff=assignment.comment_to_staff,
        version=assignment.version,
    )
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_review(request: HttpRequest, code: str) -> HttpResponse:
    assignment = _assignment(request, code)
    if not request.user.has_perm("review.score_item", assignment):
        raise Http404
    round = assignment.item.round
    criteria = list(round.criteria.all())
    stale = False
    form = ScoreForm(request.POST or None, criteria=criteria, initial=_initial(assignment))
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            save_scores(
                assignment=assignment,
                scores=form.scores(),
                comment_to_staff=form.cleaned_data["comment_to_staff"],
                comment_to_entrant=form.cleaned_data["comment_to_entrant"],
                submit=submit,
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(form, error)
            stale = getattr(error, "code", None) == "stale"
        except OperationalError:  # SQLite busy past its timeout: say so, never a 500 (CONC-7)
            form.add_error(None, _("The site is busy: nothing was saved. Please try again."))
        else:
            messages.success(
                request, _("Your scores are submitted.") if submit else _("Your draft is saved.")
            )
            return redirect("review:item_review", code=code)
    work = assignment.item.content_object
    context = {
        "assignment": assignment,
        "item": assignment.item,
        "round": round,
        "form": form,
        "can_edit": round.accepts_scores() and not assignment.is_submitted,
        "work_html": _render_work(work, request),
        "other_scores": _other_scores(assignment),
    }
    status = 409 if stale else 200
    return render(request, "review/item_review.html", context, status=status)


def _render_work(work_object: object, request: HttpRequest) -> str:
    if work_object is None:
        return ""
    work = work_object.review_work()  # type: ignore[attr-defined]
    return render_to_string(work.template, dict(work.context), request=request)
