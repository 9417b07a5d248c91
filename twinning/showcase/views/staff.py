"""Staff pages of the showcase's student side: editions (create, edit), an edition's entries
with filters and counts, consent status, approval for publication (PRIV-20), and erasure
requests with their due dates (PRIV-11). Every view is `staff_required`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.showcase.forms import EditionForm, EntryFilterForm, ErasureExtensionForm
from twinning.showcase.models import PROGRAM, Edition, Entry, EntryFile, ErasureRequest
from twinning.showcase.privacy import execute_erasure, extend_erasure
from twinning.showcase.services import (
    approve_entry,
    create_edition,
    prepare_work_again,
    revoke_approval,
    update_edition,
)

PAGE_SIZE = 50


def _authorise(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Http404


@staff_required
@require_safe
def staff_edition_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "showcase.manage_edition")
    editions = Edition.objects.annotate(
        entry_count=Count("entries", filter=~Q(entries__state=Entry.State.WITHDRAWN)),
        submitted_count=Count("entries", filter=Q(entries__state=Entry.State.SUBMITTED)),
    )
    open_erasures = ErasureRequest.objects.filter(executed_at__isnull=True).count()
    return render(
        request,
        "showcase/staff/edition_list.html",
        {"editions": editions, "open_erasures": open_erasures},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_edition_create(request: HttpRequest) -> HttpResponse:
    _authorise(request, "showcase.manage_edition")
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = create_edition(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The edition is created with its six categories."))
            return redirect("showcase:staff_entry_list", edition=edition.slug)
    return render(request, "showcase/staff/edition_form.html", {"form": form, "edition": None})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_edition_edit(request: HttpRequest, edition: str) -> HttpResponse:
    _authorise(request, "showcase.manage_edition")
    edition_obj = get_object_or_404(Edition, slug=edition)
    form = EditionForm(request.POST or None, instance=Edition.objects.get(pk=edition_obj.pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_edition(edition=edition_obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The edition is saved."))
            return redirect("showcase:staff_entry_list", edition=edition_obj.slug)
    context = {"form": form, "edition": edition_obj}
    return render(request, "showcase/staff/edition_form.html", context)


@staff_required
@require_safe
def staff_entry_list(request: HttpRequest, edition: str) -> HttpResponse:
    _authorise(request, "showcase.manage_edition")
    edition_obj = get_object_or_404(Edition, slug=edition)
    entries = (
        Entry.objects.filter(edition=edition_obj)
        .with_consent_flags()
        .select_related("category", "student__community__country")
        .order_by("category__order", "-submitted_at", "pk")
    )
    form = EntryFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            entries = entries.filter(category__slug=data["category"])
        if data["state"]:
            entries = entries.filter(state=data["state"])
        if data["consent"] == "missing":
            entries = entries.filter(minor_at_cutoff=True, participation_consent=False)
        elif data["consent"] == "publication":
            entries = entries.filter(publication_consent=True)
    counts = (
        Entry.objects.filter(edition=edition_obj)
        .values("category__name", "category__order", "state")
        .annotate(n=Count("pk"))
        .order_by("category__order")
    )
    table: dict[str, dict[str, int]] = {}
    for row in counts:
        table.setdefault(row["category__name"], {})[row["state"]] = row["n"]
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "edition": edition_obj,
        "form": form,
        "page": page,
        "counts": [
            {"category": name, **{s: by_state.get(s, 0) for s in Entry.State.values}}
            for name, by_state in table.items()
        ],
        "states": Entry.State,
    }
    return render(request, "showcase/staff/entry_list.html", context)


@staff_required
@require_safe
def staff_entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    _authorise(request, "showcase.approve_entry")
    entry = get_object_or_404(
        Entry.objects.with_consent_flags().select_related(
            "edition", "category", "student__community__country", "student__user"
        ),
        pk=entry_id,
    )
    work_file = EntryFile.objects.filter(entry=entry).first()
    not_ready = (Entry.MediaStatus.FAILED, Entry.MediaStatus.PROCESSING)
    context = {
        "entry": entry,
        "work_file": work_file,
        "can_prepare_again": work_file is not None and entry.media_status in not_ready,
        "consents": (
            entry.student.consents.of_program(PROGRAM).prefetch_related("answers")
            if entry.student
            else []
        ),
        "publishable": entry.is_publishable(),
        "eligible": entry.is_eligible_for_judging(),
    }
    return render(request, "showcase/staff/entry_detail.html", context)


@staff_required
@require_POST
def staff_entry_approve(request: HttpRequest, entry_id: int) -> HttpResponse:
    _authorise(request, "showcase.approve_entry")
    entry = get_object_or_404(Entry, pk=entry_id)
    try:
        approve_entry(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The entry is approved for publication."))
    return redirect("showcase:staff_entry_detail", entry_id=entry.pk)


@staff_required
@require_POST
def staff_entry_unapprove(request: HttpRequest, entry_id: int) -> HttpResponse:
    _authorise(request, "showcase.approve_entry")
    entry = get_object_or_404(Entry, pk=entry_id)
    revoke_approval(entry=entry, by=request.user)
    messages.success(request, _("The approval is withdrawn."))
    return redirect("showcase:staff_entry_detail", entry_id=entry.pk)


@staff_required
@require_POST
def staff_entry_prepare_again(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Prepare an entry's work again after its preparation failed or stalled (DUR-4)."""
    _authorise(request, "showcase.approve_entry")
    entry = get_object_or_404(Entry, pk=entry_id)
    try:
        prepare_work_again(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The work is being prepared again."))
    return redirect("showcase:staff_entry_detail", entry_id=entry.pk)


@staff_required
@require_safe
def staff_erasure_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "showcase.execute_erasure")
    requests = ErasureRequest.objects.select_related("student").order_by(
        "executed_at", "due_on", "pk"
    )
    today = association_today()
    rows = [{"request": r, "overdue": r.is_overdue(today)} for r in requests]
    return render(
        request, "showcase/staff/erasure_list.html", {"rows": rows, "now": timezone.now()}
    )


@staff_required
@require_POST
def staff_erasure_execute(request: HttpRequest, request_id: int) -> HttpResponse:
    _authorise(request, "showcase.execute_erasure")
    erasure = get_object_or_404(ErasureRequest, pk=request_id)
    execute_erasure(request=erasure, by=request.user)
    messages.success(request, _("The student's data is erased."))
    return redirect("showcase:staff_erasure_list")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_erasure_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    """Give an open erasure request more time (at most two more months), with a reason."""
    _authorise(request, "showcase.execute_erasure")
    erasure = get_object_or_404(ErasureRequest, pk=request_id, executed_at__isnull=True)
    form = ErasureExtensionForm(
        request.POST or None,
        initial={"extended_to": erasure.extended_to, "extension_reason": erasure.extension_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            extend_erasure(
                request=erasure,
                until=form.cleaned_data["extended_to"],
                reason=form.cleaned_data["extension_reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Request %(ref)s is now due on %(date)s.")
                % {"ref": erasure.reference, "date": erasure.deadline.isoformat()},
            )
            return redirect("showcase:staff_erasure_list")
    return render(request, "showcase/staff/erasure_extend.html", {"erasure": erasure, "form": form})
