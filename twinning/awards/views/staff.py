"""Staff pages of the awards: the cycles (create one with the default categories), a cycle's
settings (dates, banquet) and categories with their counts, a category's nominations and its
judging (the round's own pages hold judges and assignment), the ranking with the decisions,
and the announcement, and the import of past years' winners. Every view is
`staff_required`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from twinning.accounts.decorators import staff_required
from twinning.awards.forms import (
    CategoryForm,
    CycleForm,
    CycleSettingsForm,
    DecisionForm,
    HonourFileForm,
    HonourImportForm,
)
from twinning.awards.imports import MAX_BYTES, HonourCheck, check_honours
from twinning.awards.models import Category, Cycle, Nomination
from twinning.awards.services import (
    announce_results,
    create_cycle,
    decide_nomination,
    import_honours,
    open_judging,
    save_category,
    update_cycle,
)
from twinning.core.forms import add_service_error
from twinning.core.rows import url_around
from twinning.members.imports import decode_upload
from twinning.review.interface import ReviewItem, current_decisions, progress, ranking_rows

PAGE_SIZE = 100


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = create_cycle(
                year=form.cleaned_data["year"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The cycle is created with the default categories."))
            return redirect("awards:staff_cycle", year=cycle.year)
    cycles = Cycle.objects.annotate(
        nominations=Count(
            "categories__nominations",
            filter=Q(categories__nominations__state=Nomination.State.SUBMITTED),
        )
    )
    return render(request, "awards/staff/cycle_list.html", {"cycles": cycles, "form": form})


def _counts(cycle: Cycle) -> dict[int, dict]:
    rows = (
        Nomination.objects.filter(category__cycle=cycle)
        .values("category_id")
        .annotate(
            total=Count("pk", filter=~Q(state=Nomination.State.WITHDRAWN)),
            counting=Count("pk", filter=Q(state=Nomination.State.SUBMITTED)),
            awaiting=Count("pk", filter=Q(state=Nomination.State.AWAITING)),
        )
    )
    return {row["category_id"]: row for row in rows}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_detail(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, year=year)
    form = CycleSettingsForm(
        request.POST or None,
        initial={
            "opens_at": timezone.localtime(cycle.opens_at),
            "closes_at": timezone.localtime(cycle.closes_at),
            "banquet": cycle.banquet_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_cycle(cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("awards:staff_cycle", year=cycle.year)
    counts = _counts(cycle)
    categories = [
        {"category": c, "counts": counts.get(c.pk, {})}
        for c in cycle.categories.select_related("round").order_by("order", "name")
    ]
    context = {
        "cycle": cycle,
        "form": form,
        "categories": categories,
        "winners": winners_so_far(cycle),
    }
    return render(request, "awards/staff/cycle_detail.html", context)


def _category(year: int, slug: str) -> Category:
    return get_object_or_404(
        Category.objects.select_related("cycle", "round"), cycle__year=year, slug=slug
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_new(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, year=year)
    form = CategoryForm(request.POST or None, instance=Category(cycle=cycle))
    if request.method == "POST" and form.is_valid():
        try:
            category = save_category(category=form.instance, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The category is added."))
            return redirect("awards:staff_category", year=year, slug=category.slug)
    context = {
        "form": form,
        "title": _("New category of %(cycle)s") % {"cycle": cycle.title},
        "back": reverse("awards:staff_cycle", kwargs={"year": year}),
    }
    return render(request, "form_page.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_edit(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    category = _category(year, slug)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            save_category(category=form.instance, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("awards:staff_category", year=year, slug=form.instance.slug)
    context = {
        "form": form,
        "title": category.name,
        "back": reverse("awards:staff_category", kwargs={"year": year, "slug": slug}),
    }
    return render(request, "form_page.html", context)


@staff_required
@require_http_methods(["GET", "HEAD"])
def category_detail(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    category = _category(year, slug)
    # A page of 100 rows read as values, each link and state label made once for the page (as
    # model instances, with a reverse() and a get_state_display() a row, they were half the
    # page's time at 2,000 nominations: bench/awards.py).
    nominations = (
        Nomination.objects.filter(category=category)
        .order_by("state", "pk")
        .values(
            "pk",
            "title",
            "nominee_name",
            "state",
            member_name=F("member__name"),
            community_name=F("community__name"),
        )
    )
    page = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    before, after = url_around("awards:nomination")
    states = dict(Nomination.State.choices)
    rows: list[dict[str, Any]] = [dict(row) for row in page.object_list]
    for row in rows:
        row["url"] = f"{before}{row['pk']}{after}"
        row["state_label"] = states.get(row["state"], "")
    groups = progress(category.round) if category.round else []
    context = {
        "category": category,
        "cycle": category.cycle,
        "page": page,
        "rows": rows,
        "progress": groups,
    }
    return render(request, "awards/staff/category_detail.html", context)


@staff_required
@require_POST
def category_open_judging(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    category = _category(year, slug)
    try:
        open_judging(category=category, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Judging is open: add judges and assign on the round's page."))
    return redirect("awards:staff_category", year=year, slug=slug)


@staff_required
@require_http_methods(["GET", "HEAD"])
def category_ranking(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    category = _category(year, slug)
    rows: list = []
    nominations: dict = {}
    page = None
    if category.round is not None:
        page = Paginator(ranking_rows(category.round), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        found = Nomination.objects.filter(pk__in=[int(r.item.object_id) for r in rows]).values(
            "pk", "member__name", "community__name"
        )
        nominations = {n["pk"]: n for n in found}
    context = {
        "category": category,
        "cycle": category.cycle,
        "rows": rows,
        "nominations": nominations,
        "open": category.cycle.announced_at is None,  # decisions freeze once announced
        "page": page,
    }
    return render(request, "awards/staff/category_ranking.html", context)


@staff_required
@require_POST
def category_decide(request: HttpRequest, year: int, slug: str, item: int) -> HttpResponse:
    category = _category(year, slug)
    if category.round is None:
        return redirect("awards:staff_category", year=year, slug=slug)
    chosen = get_object_or_404(ReviewItem, pk=item, round=category.round)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide_nomination(
                category=category,
                item=chosen,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded for %(code)s.") % {"code": chosen.code})
    else:
        messages.error(request, _("Choose an outcome from the list."))
    return redirect("awards:staff_ranking", year=year, slug=slug)


@staff_required
@require_POST
def cycle_announce(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, year=year)
    try:
        announce_results(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Announced. The e-mails wait in the outbox for your review before they are sent."),
        )
    return redirect("awards:staff_cycle", year=year)


def winners_so_far(cycle: Cycle) -> int:
    """Winners chosen across the cycle's categories (for the announce button)."""
    total = 0
    for category in cycle.categories.filter(round__isnull=False).select_related("round"):
        assert category.round is not None  # noqa: S101 (filtered above)
        total += sum(d.outcome == "winner" for d in current_decisions(category.round).values())
    return total


def _checked_upload(form: HonourFileForm) -> tuple[str, HonourCheck] | None:
    """The uploaded file's text and its check, or None with the form's error set."""
    upload = form.cleaned_data["file"]
    lines = decode_upload(upload.read(MAX_BYTES + 1)) if upload.size <= MAX_BYTES else None
    if lines is None:
        form.add_error("file", _("Upload a UTF-8 CSV file of at most 1 MB."))
        return None
    check = check_honours(lines)
    if check.error:
        form.add_error("file", check.error)
        return None
    return "\n".join(lines), check


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def archive_import(request: HttpRequest) -> HttpResponse:
    """Past years' winners from a CSV: a preview first (every row accepted or rejected with
    its reason, nothing written), then the import of the checked text."""
    file_form = HonourFileForm(request.POST or None, request.FILES or None)
    import_form, check = None, None
    if request.method == "POST" and "text" in request.POST:
        import_form = HonourImportForm(request.POST)
        if import_form.is_valid():
            text = import_form.cleaned_data["text"]
            try:
                done = import_honours(
                    lines=text.splitlines(),
                    skip_rejected=import_form.cleaned_data["skip_rejected"],
                    source=import_form.cleaned_data["source"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(import_form, error)
                check = check_honours(text.splitlines())
            else:
                messages.success(
                    request, _("%(n)s past honours imported.") % {"n": len(done.honours)}
                )
                return redirect("awards:staff_import")
        file_form = HonourFileForm()
    elif request.method == "POST" and file_form.is_valid():
        checked = _checked_upload(file_form)
        if checked is not None:
            text, check = checked
            import_form = HonourImportForm(
                initial={"text": text, "source": file_form.cleaned_data["file"].name}
            )
    context = {"file_form": file_form, "import_form": import_form, "check": check}
    return render(request, "awards/staff/import.html", context)
