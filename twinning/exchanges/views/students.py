"""A student's page (staff, the hosting committee's managers, the quota's sending contact):
status and its history with messages, the guardian's consent, application documents, and the
restricted details only for those `rules.may_read_restricted` lets read them (the exchange
coordinator, welfare staff), each read logged by `services.students.read_restricted`.

The restricted details are special-category data (RELIABILITY P-07, B12): they are shown and
edited only in a recently re-authenticated session. A stale session sees the rest of the
student's page and a link to the confirmation page instead of the block; the edit page sends
it there (a stale POST changes nothing). Staff without the welfare capability see the page
without the block, and a note that it is for welfare staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.reauth import is_recently_authenticated, reauth_redirect, reauth_url
from twinning.core.authz import is_verified_staff
from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.exchanges.forms import DocumentForm, OrientationForm, RestrictedForm, StatusForm
from twinning.exchanges.models import StudentDocument
from twinning.exchanges.rules import may_read_restricted
from twinning.exchanges.services import placement as placement_services
from twinning.exchanges.services import students as services
from twinning.exchanges.views import monitoring
from twinning.exchanges.views.common import flat_errors, visible_student
from twinning.youth.programs import get_program
from twinning.youth.services import has_consent


@require_safe
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student, _contact = visible_student(request, pk)
    manages = request.user.has_perm("exchanges.manage_committee", student.quota.host)
    restricted = None
    confirm_url = None  # a reader whose session is too old for the restricted details
    if may_read_restricted(request.user, student):
        if is_recently_authenticated(request):
            restricted = services.read_restricted(student=student, by=request.user)
        else:
            confirm_url = reauth_url(request.get_full_path())
    program = get_program(services.PROGRAM)
    consents = [
        (label, has_consent(student.person, services.PROGRAM, scope))
        for scope, label in program.scopes.items()
    ]
    next_steps = services.NEXT.get(services.Student.Status(student.status), ())
    context = {
        "student": student,
        "manages": manages,
        "restricted": restricted,
        "confirm_url": confirm_url,
        "welfare_only": restricted is None
        and confirm_url is None
        and is_verified_staff(request.user),
        "consents": consents,
        "history": student.status_changes.all(),
        "documents": student.documents.all(),
        "document_form": DocumentForm(),
        "status_form": StatusForm() if manages and next_steps else None,
        "next_steps": [(s.value, s.label) for s in next_steps],
        "placements": placement_services.history(student),
        "orientations": student.orientations.all(),
        "orientation_form": OrientationForm() if manages else None,
    }
    context.update(monitoring.student_links(request, student, manages))  # section 3
    return render(request, "exchanges/student_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def restricted_edit(request: HttpRequest, pk: int) -> HttpResponse:
    student, _contact = visible_student(request, pk)
    if not may_read_restricted(request.user, student):
        raise Http404
    if refused := reauth_redirect(request):
        return refused
    form = RestrictedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_restricted(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("exchanges:student_detail", pk=student.pk)
    if request.method != "POST":
        form = RestrictedForm(initial=services.read_restricted(student=student, by=request.user))
    return render(request, "exchanges/restricted_edit.html", {"student": student, "form": form})


@require_POST
def student_status(request: HttpRequest, pk: int) -> HttpResponse:
    student, _contact = visible_student(request, pk)
    if not request.user.has_perm("exchanges.manage_committee", student.quota.host):
        raise Http404
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(student=student, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Status changed; the student and their contact are told."))
    else:
        messages.error(request, _("Choose the new status."))
    return redirect("exchanges:student_detail", pk=student.pk)


@require_POST
def consent_link(request: HttpRequest, pk: int) -> HttpResponse:
    student, _contact = visible_student(request, pk)
    if not request.user.has_perm("exchanges.manage_committee", student.quota.host):
        raise Http404
    try:
        services.resend_consent_link(student=student, by=request.user)
    except ValidationError as error:
        messages.error(request, flat_errors(error))
    else:
        messages.success(request, _("A new consent link is on its way to the guardian."))
    return redirect("exchanges:student_detail", pk=student.pk)


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    student, contact = visible_student(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                student=student,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=request.user,
                contact=contact,
            )
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Choose the document and its PDF file."))
    return redirect("exchanges:student_detail", pk=student.pk)


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(StudentDocument, pk=pk)
    visible_student(request, document.student_id)
    return media_response(
        private_storage,
        document.file_name,
        content_type=document.content_type,
        download_name=document.display_name,
        inline=False,
    )
