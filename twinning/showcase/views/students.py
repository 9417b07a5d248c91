"""Students' pages: the list of editions, the eligibility check and registration, "my
entries", and creating, editing, submitting and withdrawing an entry. A student reaches only
their own entries: anyone else's answers 404 like a missing one (C12)."""

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.authz import NotAllowed
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.network.choosers import community_choices
from twinning.network.models import Community
from twinning.showcase.eligibility import check_eligibility
from twinning.showcase.forms import EligibilityForm, EntryForm, RegistrationForm
from twinning.showcase.models import PROGRAM, Edition, Entry, EntryFile
from twinning.showcase.privacy import export_student_data, request_erasure
from twinning.showcase.services import (
    attach_work,
    closed_to_newcomers,
    consent_edition,
    create_entry,
    give_publication_consent,
    register_student,
    request_guardian_consent,
    submit_entry,
    update_entry,
    withdraw_consent,
    withdraw_entry,
)
from twinning.showcase.views._common import json_download, serve_entry_file
from twinning.youth.age import refuse_under_minimum, was_refused
from twinning.youth.models import Person
from twinning.youth.services import has_consent

SCREEN = "showcase_screen"


def _student(request: HttpRequest) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return (
        Person.objects.in_program(PROGRAM)
        .select_related("community__country", "user", "guardian")
        .filter(user=request.user)
        .first()
    )


def _own_entry(request: HttpRequest, entry_id: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("edition", "category", "student").filter(
            student__user_id=request.user.pk
        ),
        pk=entry_id,
    )


@require_safe
def edition_list(request: HttpRequest) -> HttpResponse:
    editions = Edition.objects.prefetch_related("categories")
    return render(request, "showcase/edition_list.html", {"editions": editions})


@require_safe
def community_search(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"results": community_choices(request.GET.get("q", ""))})


@require_http_methods(["GET", "HEAD", "POST"])
def edition_enter(request: HttpRequest, edition: str) -> HttpResponse:
    """The neutral eligibility check before anything is stored (PRIV-1, PRIV-2)."""
    edition_obj = get_object_or_404(Edition, slug=edition)
    student = _student(request)
    today = association_today()
    context: dict = {"edition": edition_obj, "student": student}
    if student is not None:
        context["eligibility"] = check_eligibility(
            edition=edition_obj,
            date_of_birth=student.date_of_birth,
            community=student.community,
            today=today,
        )
        return render(request, "showcase/edition_enter.html", context)
    # After the close, the reason is said before anything is typed, not only when it is sent.
    context["closed"] = closed_to_newcomers(edition_obj)
    if context["closed"] or was_refused(request.session, PROGRAM):
        page = "edition_enter" if context["closed"] else "age_refused"
        return render(request, f"showcase/{page}.html", context)
    form = EligibilityForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        result = check_eligibility(edition=edition_obj, today=today, **form.cleaned_data)
        if result.too_young:
            # PRIV-1, P-01: blocks an immediate retry; nothing else is kept (no date, community)
            refuse_under_minimum(request.session, PROGRAM)
            return render(request, "showcase/age_refused.html", context)
        if not result.eligible:
            context["reasons"] = result.reasons
            return render(request, "showcase/edition_enter.html", context)
        request.session[SCREEN] = {
            "edition": edition_obj.slug,
            "date_of_birth": form.cleaned_data["date_of_birth"].isoformat(),
            "community": form.cleaned_data["community"].pk,
            "minor": result.guardian_needed,
        }
        return redirect("showcase:edition_register", edition=edition_obj.slug)
    return render(request, "showcase/edition_enter.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def edition_register(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = get_object_or_404(Edition, slug=edition)
    screen = request.session.get(SCREEN) or {}
    if screen.get("edition") != edition_obj.slug or _student(request) is not None:
        return redirect("showcase:edition_enter", edition=edition_obj.slug)
    if closed_to_newcomers(edition_obj):  # closed since the check: the entry page says why
        return redirect("showcase:edition_enter", edition=edition_obj.slug)
    community = Community.objects.filter(pk=screen.get("community")).first()
    if community is None:
        return redirect("showcase:edition_enter", edition=edition_obj.slug)
    signed_in = request.user.is_authenticated
    form = RegistrationForm(request.POST or None, signed_in=signed_in, minor=screen["minor"])
    if request.method == "POST" and form.is_valid():
        try:
            student = register_student(
                edition=edition_obj,
                date_of_birth=datetime.date.fromisoformat(screen["date_of_birth"]),
                community=community,
                user=request.user if signed_in else None,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[SCREEN]
            if not signed_in:
                login(
                    request,
                    student.user,
                    backend="twinning.accounts.ratelimit.RateLimitedModelBackend",
                )
            if screen["minor"]:
                messages.success(
                    request,
                    _("You are registered. We have asked your guardian for their consent."),
                )
            else:
                messages.success(request, _("You are registered. You can now enter your work."))
            return redirect("showcase:my_entries")
    context = {
        "edition": edition_obj,
        "form": form,
        "community": community,
        "minor": screen["minor"],
    }
    return render(request, "showcase/edition_register.html", context)


@login_required
@require_safe
def my_entries(request: HttpRequest) -> HttpResponse:
    student = _student(request)
    if student is None:
        editions = Edition.objects.open_at()
        return render(request, "showcase/my_entries.html", {"student": None, "editions": editions})
    entries = list(student.entries.select_related("edition", "category"))
    consents = list(student.consents.of_program(PROGRAM).prefetch_related("answers"))
    context = {
        "student": student,
        "entries": entries,
        "open_editions": Edition.objects.open_at(),
        "participation": any(c.is_active("participation") for c in consents),
        "publication": any(c.is_active("publication") for c in consents),
        "pending_consent": next((c for c in consents if c.responded_at is None), None),
        "needs_guardian": bool(student.guardian_email),
        "consent_closed": closed_to_newcomers(consent_edition(student))
        if student.guardian_email
        else "",
        "open_erasure": student.erasure_requests.filter(executed_at__isnull=True).first(),
    }
    return render(request, "showcase/my_entries.html", context)


def _require_student(request: HttpRequest) -> Person:
    student = _student(request)
    if student is None:
        raise Http404
    return student


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_create(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = get_object_or_404(Edition, slug=edition)
    student = _student(request)
    if student is None or not request.user.has_perm("showcase.create_entry"):
        return redirect("showcase:edition_enter", edition=edition_obj.slug)
    form = EntryForm(request.POST or None, request.FILES or None, edition=edition_obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = create_entry(
                student=student,
                category=data["category"],
                title=data["title"],
                statement=data["statement"],
                text=data["text"],
                alt_text=data["alt_text"],
                by=request.user,
            )
            if data.get("upload"):
                attach_work(entry=entry, upload=data["upload"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your draft is saved. Submit it when it is ready."))
            return redirect("showcase:entry_detail", entry_id=entry.pk)
    return render(request, "showcase/entry_form.html", {"form": form, "edition": edition_obj})


@login_required
@require_safe
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    work_file = EntryFile.objects.filter(entry=entry).first()
    return render(
        request,
        "showcase/entry_detail.html",
        {
            "entry": entry,
            "work_file": work_file,
            "can_edit": entry.is_editable_state and entry.edition.is_open(),
            "eligible": entry.is_eligible_for_judging(),
            "missing": _missing(entry),
        },
    )


def _missing(entry: Entry) -> list[str]:
    """What stands between the entry and judging, in the student's words."""
    missing = []
    if entry.state == Entry.State.DRAFT:
        missing.append(_("Submit the entry before the deadline."))
    if entry.media_status == Entry.MediaStatus.MISSING:
        missing.append(_("Add the work itself (a file or the text)."))
    elif entry.media_status == Entry.MediaStatus.PROCESSING:
        missing.append(_("Your file is being prepared; this takes a few minutes."))
    elif entry.media_status == Entry.MediaStatus.FAILED:
        missing.append(_("Your file could not be prepared: upload it again."))
    if entry.state != Entry.State.WITHDRAWN and not entry.participation_consent_active():
        missing.append(_("Your guardian's consent is still needed."))
    return missing


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    if not request.user.has_perm("showcase.change_entry", entry):
        raise Http404
    initial = {k: getattr(entry, k) for k in ("title", "statement", "text", "alt_text")}
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        edition=entry.edition,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_entry(
                entry=entry,
                title=data["title"],
                statement=data["statement"],
                text=data["text"],
                alt_text=data["alt_text"],
                by=request.user,
            )
            if data.get("upload"):
                attach_work(entry=entry, upload=data["upload"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("showcase:entry_detail", entry_id=entry.pk)
    context = {"form": form, "edition": entry.edition, "entry": entry}
    return render(request, "showcase/entry_form.html", context)


@login_required
@require_POST
def entry_submit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    try:
        submit_entry(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except NotAllowed as error:
        raise Http404 from error
    else:
        messages.success(
            request, _("Your entry is submitted. You can change it until the deadline.")
        )
    return redirect("showcase:entry_detail", entry_id=entry.pk)


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    withdraw_entry(entry=entry, by=request.user)
    messages.success(request, _("Your entry is withdrawn."))
    return redirect("showcase:my_entries")


@login_required
@require_safe
def entry_media(request: HttpRequest, entry_id: int, variant: str) -> HttpResponse:
    """The student's own file; staff reach it through the same permission (C11)."""
    entry = get_object_or_404(Entry.objects.select_related("student"), pk=entry_id)
    if not request.user.has_perm("showcase.view_entry_media", entry):
        raise Http404
    return serve_entry_file(EntryFile.objects.filter(entry=entry).first(), variant)


@login_required
@require_POST
def consent_resend(request: HttpRequest) -> HttpResponse:
    student = _require_student(request)
    if not student.guardian_email:
        raise Http404
    if has_consent(student, PROGRAM, "participation"):
        messages.info(request, _("Your guardian has already consented."))
        return redirect("showcase:my_entries")
    try:
        request_guardian_consent(student=student, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We have sent your guardian a new link."))
    return redirect("showcase:my_entries")


@login_required
@require_POST
def my_publication(request: HttpRequest) -> HttpResponse:
    """An adult student gives or withdraws their own publication consent."""
    student = _require_student(request)
    if student.guardian_email:
        raise Http404  # a guardian decides for a minor
    try:
        if request.POST.get("publication") == "yes":
            give_publication_consent(student=student, by=request.user)
            messages.success(request, _("Your work may be published if chosen."))
        else:
            withdraw_consent(student=student, scope="publication", by=request.user)
            messages.success(request, _("Your work will not be published."))
    except NotAllowed as error:
        raise Http404 from error
    return redirect("showcase:my_entries")


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    student = _require_student(request)
    return json_download(export_student_data(student), "showcase-my-data.json")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_erasure(request: HttpRequest) -> HttpResponse:
    student = _require_student(request)
    if request.method == "POST":
        erasure = request_erasure(student=student, requested_by="student", by=request.user)
        messages.success(
            request,
            _("Your request is recorded (reference %(ref)s). We will erase your data by %(due)s.")
            % {"ref": erasure.reference, "due": erasure.deadline},
        )
        return redirect("showcase:my_entries")
    return render(request, "showcase/erasure_confirm.html", {"student": student, "guardian": False})
