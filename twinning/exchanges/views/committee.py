"""The hosting committee's exchange pages (its admins, its coordinators, verified staff): the
overview with the places offered and the sending contacts, its host families and their
screening, its students, schools and coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.exchanges.forms import (
    CheckForm,
    ContactForm,
    CoordinatorForm,
    DecisionForm,
    LetterForm,
    SchoolForm,
    TrainingForm,
    VisitForm,
)
from twinning.exchanges.models import (
    Coordinator,
    HomeVisitPhoto,
    HostFamily,
    HouseholdMember,
    Quota,
    School,
    SendingContact,
    Student,
    Training,
)
from twinning.exchanges.services import families, staff
from twinning.exchanges.services import students as student_services
from twinning.exchanges.views.common import flat_errors, managed_member


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    quotas = (
        Quota.objects.filter(host=member)
        .select_related("season", "partnership__community_a", "partnership__community_b")
        .prefetch_related("contacts")
        .annotate(taken=Count("students", filter=~Q(students__status__in=student_services.FREED)))
    )
    choices = Quota.objects.filter(host=member).select_related("season", "host")
    form = ContactForm(request.POST or None, quotas=choices)
    if request.method == "POST" and form.is_valid():
        try:
            student_services.add_sending_contact(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Contact added: their link is on its way."))
            return redirect("exchanges:committee", slug=member.slug)
    counts = {
        "families": HostFamily.objects.filter(member=member).count(),
        "approved": HostFamily.objects.filter(
            member=member, status=HostFamily.Status.APPROVED
        ).count(),
        "students": Student.objects.filter(quota__host=member).count(),
    }
    context = {"member": member, "quotas": quotas, "form": form, "counts": counts}
    return render(request, "exchanges/committee.html", context)


@login_required
@require_POST
def contact_link(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    contact = get_object_or_404(SendingContact, pk=pk, quota__host=member)
    student_services.send_contact_link(contact=contact, by=request.user)
    messages.success(request, _("A new link is on its way to %(name)s.") % {"name": contact.name})
    return redirect("exchanges:committee", slug=member.slug)


# --- Families ------------------------------------------------------------------------------------


@login_required
@require_safe
def family_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    found = HostFamily.objects.filter(member=member).annotate(
        people=Count("household", distinct=True),
        answered=Count(
            "references", filter=Q(references__answered_at__isnull=False), distinct=True
        ),
        visits=Count("home_visits", distinct=True),
    )
    context = {"member": member, "families": found.order_by("family_name", "pk")}
    return render(request, "exchanges/family_list.html", context)


def _family(member: object, pk: int) -> HostFamily:
    return get_object_or_404(
        HostFamily.objects.select_related("member", "user").prefetch_related(
            Prefetch(
                "household",
                queryset=HouseholdMember.objects.prefetch_related("background_checks"),
            ),
            "references",
            "home_visits__photos",
            "home_visits__coordinator",
        ),
        pk=pk,
        member=member,
    )


@login_required
@require_safe
def family_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    family = _family(member, pk)
    context = {
        "member": member,
        "family": family,
        "screening": families.screening(family),
        "check_form": CheckForm(),
        "visit_form": VisitForm(member=member),
        "decision_form": DecisionForm(),
    }
    return render(request, "exchanges/family_detail.html", context)


@login_required
@require_POST
def family_check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    family = _family(member, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        person = get_object_or_404(HouseholdMember, pk=form.cleaned_data["person"], family=family)
        try:
            families.record_background_check(
                person=person,
                checked_on=form.cleaned_data["checked_on"],
                provider=form.cleaned_data["provider"],
                result=form.cleaned_data["result"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Background check recorded."))
    else:
        messages.error(request, _("Give the check's date, provider and result."))
    return redirect("exchanges:family_detail", slug=member.slug, pk=family.pk)


@login_required
@require_POST
def family_visit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    family = _family(member, pk)
    form = VisitForm(request.POST, request.FILES, member=member)
    if form.is_valid():
        try:
            families.record_home_visit(family=family, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Home visit recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("exchanges:family_detail", slug=member.slug, pk=family.pk)


@login_required
@require_POST
def family_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    family = _family(member, pk)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "approve":
            families.approve_family(family=family, by=request.user)
            messages.success(request, _("The family is approved."))
        elif request.POST.get("action") == "decline":
            families.decline_family(family=family, message=message, by=request.user)
            messages.success(request, _("The application is declined."))
        else:
            messages.error(request, _("Choose to approve or decline."))
    except ValidationError as error:
        messages.error(request, flat_errors(error))
    return redirect("exchanges:family_detail", slug=member.slug, pk=family.pk)


@login_required
@require_safe
def visit_photo(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    member = managed_member(request, slug)
    photo = get_object_or_404(HomeVisitPhoto, pk=pk, visit__family__member=member)
    return media_response(
        private_storage,
        photo.file_name,
        content_type=photo.content_type,
        download_name=f"room-{photo.pk}.{photo.file_name.rsplit('.', 1)[-1]}",
        inline=True,
    )


# --- Students ------------------------------------------------------------------------------------


@login_required
@require_safe
def student_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    found = student_services.with_consents(Student.objects.for_host(member).listed())
    return render(request, "exchanges/student_list.html", {"member": member, "students": found})


# --- Schools -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def school_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.add_school(member=member, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("School added."))
            return redirect("exchanges:school_list", slug=member.slug)
    context = {
        "member": member,
        "schools": School.objects.filter(member=member).order_by("name", "pk"),
        "form": form,
        "letter_form": LetterForm(),
    }
    return render(request, "exchanges/school_list.html", context)


@login_required
@require_POST
def school_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    school = get_object_or_404(School, pk=pk, member=member)
    form = LetterForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            staff.file_acceptance_letter(
                school=school,
                upload=form.cleaned_data["letter"],
                signed_on=form.cleaned_data["signed_on"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Acceptance letter filed."))
    else:
        messages.error(request, _("Give the signing date and the PDF."))
    return redirect("exchanges:school_list", slug=member.slug)


@login_required
@require_safe
def school_letter_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    member = managed_member(request, slug)
    school = get_object_or_404(School, pk=pk, member=member)
    if not school.letter_file:
        raise Http404
    return media_response(
        private_storage,
        school.letter_file,
        content_type="application/pdf",
        download_name=f"acceptance-{school.pk}.pdf",
        inline=False,
    )


# --- Coordinators --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coordinator_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = managed_member(request, slug)
    form = CoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.add_coordinator(member=member, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Coordinator added: record their training."))
            return redirect("exchanges:coordinator_list", slug=member.slug)
    found = Coordinator.objects.filter(member=member).prefetch_related(
        Prefetch("trainings", queryset=Training.objects.order_by("-expires_on", "pk"))
    )
    today = staff.association_today()
    rows = [(c, staff.current_training(c, today)) for c in found.order_by("name", "pk")]
    context = {"member": member, "rows": rows, "form": form, "training_form": TrainingForm()}
    return render(request, "exchanges/coordinator_list.html", context)


@login_required
@require_POST
def coordinator_training(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = managed_member(request, slug)
    coordinator = get_object_or_404(Coordinator, pk=pk, member=member)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            staff.record_training(coordinator=coordinator, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Training recorded."))
    else:
        messages.error(request, _("Give the course and its dates."))
    return redirect("exchanges:coordinator_list", slug=member.slug)
