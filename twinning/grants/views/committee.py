"""A committee's pages: its applications and grants, starting and writing an application,
its side's budget and plan, signing (signed in, or through the partner's single-use link),
submitting, and its side's reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.grants.eligibility import eligibility
from twinning.grants.forms import (
    ApplicationForm,
    ReceiptForm,
    ReportForm,
    SideForm,
    StartForm,
    TokenSignForm,
)
from twinning.grants.models import Application, ApplicationSide, Call, Grant, Report
from twinning.grants.pdf import render_agreement
from twinning.grants.services import (
    add_receipt,
    send_signature_link,
    sign_application,
    sign_with_token,
    start_application,
    submit_application,
    submit_report,
    update_application,
    update_side,
)
from twinning.grants.services.applications import may_change_side, side_for_token
from twinning.grants.services.grants import tranche_problem


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call__program"), pk=pk
    )


def _sides(application: Application) -> list[ApplicationSide]:
    return list(
        application.sides.select_related("community__country", "member").prefetch_related(
            "lines", "application__call__rates", "member__admins"
        )
    )


@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("grants.start_application"):
        raise Http404
    mine = Q(sides__member__admins=request.user.pk)
    applications = (
        Application.objects.filter(mine)
        .distinct()
        .select_related("call__program")
        .order_by("-created_at")
    )
    grants = Grant.objects.filter(application__sides__member__admins=request.user.pk).distinct()
    reports = (
        Report.objects.open()
        .filter(side__member__admins=request.user.pk)
        .select_related("grant__application", "side__community")
    )
    calls = Call.objects.open_on(timezone.now()).select_related("program")
    return render(
        request,
        "grants/my_applications.html",
        {
            "applications": applications,
            "grants": grants.select_related("application"),
            "reports": reports,
            "calls": calls,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("grants.start_application"):
        raise Http404
    call = get_object_or_404(Call.objects.select_related("program"), slug=slug)
    form = StartForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = start_application(
                call=call,
                member=form.cleaned_data["member"],
                community=form.cleaned_data["community"],
                partners=list(form.cleaned_data["partners"]),
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The application is started: write it, then ask for signatures.")
            )
            return redirect(application)
    return render(request, "grants/application_start.html", {"form": form, "call": call})


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    sides = _sides(application)
    is_lead = request.user.has_perm("grants.change_application", application)
    for side in sides:  # what the page shows and offers for each side
        mine = request.user.has_perm("grants.change_side", side)
        side.is_signed = side.has_signed(application.content_hash)  # type: ignore[attr-defined]  # shown by the page
        side.mine = mine  # type: ignore[attr-defined]  # shown by the page
        side.editable = mine or (is_lead and not (side.member and side.member.admins.all()))  # type: ignore[attr-defined]  # shown by the page
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "sides": sides,
            "rules": eligibility(application),
            "is_lead": is_lead,
            "draft": application.state == Application.State.DRAFT,
            "all_signed": all(side.has_signed(application.content_hash) for side in sides),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not request.user.has_perm("grants.change_application", application):
        raise Http404
    initial = {
        "title": application.title,
        "theme": application.theme,
        "summary": application.summary,
    }
    for index, question in enumerate(application.call.questions):
        initial[f"q{index}"] = application.answers.get(question, "")
    form = ApplicationForm(request.POST or None, initial=initial, call=application.call)
    if request.method == "POST" and form.is_valid():
        try:
            update_application(
                application=application,
                title=form.cleaned_data["title"],
                theme=form.cleaned_data["theme"],
                summary=form.cleaned_data["summary"],
                answers=form.answers(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved. Every side is asked to sign this version."))
            return redirect(application)
    return render(
        request, "grants/application_edit.html", {"form": form, "application": application}
    )


def _side(request: HttpRequest, pk: int, side_pk: int) -> ApplicationSide:
    application = _application(request, pk)
    return get_object_or_404(
        application.sides.select_related("application__call__program", "community", "member"),
        pk=side_pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def side_edit(request: HttpRequest, pk: int, side_pk: int) -> HttpResponse:
    side = _side(request, pk, side_pk)
    if not may_change_side(request.user, side):
        raise Http404
    lines = "\n".join(
        f"{line.description} | {line.cost} | {line.requested}" for line in side.lines.all()
    )
    form = SideForm(
        request.POST or None,
        initial={
            "currency": side.currency,
            "participants": side.participants,
            "participant_plan": side.participant_plan,
            "lines": lines,
            "contact_name": side.contact_name,
            "contact_email": side.contact_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_side(side=side, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved. Every side is asked to sign this version."))
            return redirect(side.application)
    return render(request, "grants/side_edit.html", {"form": form, "side": side})


@login_required
@require_POST
def side_sign(request: HttpRequest, pk: int, side_pk: int) -> HttpResponse:
    side = _side(request, pk, side_pk)
    try:
        sign_application(side=side, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Signed for %(side)s.") % {"side": side})
    return redirect(side.application)


@login_required
@require_POST
def side_send_link(request: HttpRequest, pk: int, side_pk: int) -> HttpResponse:
    side = _side(request, pk, side_pk)
    try:
        send_signature_link(side=side, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The signature link is sent to %(email)s.") % {"email": side.contact_email}
        )
    return redirect(side.application)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        submit_application(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is submitted."))
    return redirect(application)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_link(request: HttpRequest, token: str) -> HttpResponse:
    """A partner without an account reads the application and signs it (the link works
    once)."""
    side = side_for_token(token)
    if side is None:
        return render(request, "grants/sign_link_dead.html", status=404)
    application = side.application
    form = TokenSignForm(
        request.POST or None,
        initial={"content_hash": application.content_hash, "signer_name": side.contact_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sign_with_token(token=token, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return render(request, "grants/sign_link_done.html", {"side": side})
    return render(
        request,
        "grants/sign_link.html",
        {"form": form, "side": side, "application": application, "sides": _sides(application)},
    )


@login_required
@require_safe
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(
        Grant.objects.visible_to(request.user).select_related("application__call__program"), pk=pk
    )
    tranches = list(grant.tranches.all())
    for tranche in tranches:
        tranche.problem = tranche_problem(tranche)  # type: ignore[attr-defined]  # shown by the page
    reports = grant.reports.select_related("side__community", "side__member")
    for report in reports:
        report.mine = request.user.has_perm("grants.submit_report", report)  # type: ignore[attr-defined]  # shown by the page
    return render(
        request,
        "grants/grant_detail.html",
        {
            "grant": grant,
            "sides": grant.application.sides.select_related("community__country", "member"),
            "tranches": tranches,
            "reports": reports,
            "is_staff": request.user.has_perm("grants.manage"),
        },
    )


@login_required
@require_safe
def grant_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(
        Grant.objects.visible_to(request.user).select_related("application__call__program"), pk=pk
    )
    response = HttpResponse(render_agreement(grant), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="grant-agreement-{grant.pk}.pdf"'
    return response


def _report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("grant__application__call__program", "side__community"),
        pk=pk,
    )
    if not (
        request.user.has_perm("grants.submit_report", report)
        or request.user.has_perm("grants.manage")
    ):
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    lines = list(report.side.lines.all())
    spent = {s.line_id: s.amount for s in report.spending.all()}
    initial = {
        "narrative": report.narrative,
        "participants": report.participants,
        "outcomes": report.outcomes,
    }
    initial |= {f"line_{pk}": amount for pk, amount in spent.items()}
    form = ReportForm(request.POST or None, initial=initial, lines=lines)
    mine = request.user.has_perm("grants.submit_report", report)
    if request.method == "POST":
        if not mine:
            raise Http404
        if form.is_valid():
            try:
                submit_report(
                    report=report,
                    narrative=form.cleaned_data["narrative"],
                    participants=form.cleaned_data["participants"],
                    outcomes=form.cleaned_data["outcomes"],
                    spending=form.spending(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The report is submitted to staff."))
                return redirect(report.grant)
    rows = [(line, spent.get(line.pk)) for line in lines]
    return render(
        request,
        "grants/report_edit.html",
        {
            "report": report,
            "form": form,
            "mine": mine,
            "editable": mine and report.state in (Report.State.DUE, Report.State.RETURNED),
            "rows": rows,
            "receipts": report.receipts.all(),
            "receipt_form": ReceiptForm(),
        },
    )


@login_required
@require_POST
def report_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_receipt(report=report, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The receipt is added."))
    else:
        messages.error(request, _("Choose a PDF file."))
    return redirect("grants:report_edit", pk=report.pk)


@login_required
@require_safe
def receipt_file(request: HttpRequest, pk: int, receipt_pk: int) -> FileResponse:
    report = _report(request, pk)
    receipt = get_object_or_404(report.receipts, pk=receipt_pk)
    return media_response(
        private_storage,
        receipt.file_name,
        content_type=receipt.mime,
        download_name=receipt.display_name,
        inline=False,
    )
