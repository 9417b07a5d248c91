"""Guardians' pages. A guardian has no account: the single-use consent link (AUTH-11) or the
long-lived manage link from their confirmation e-mail binds their browser session to one
consent record, and the token leaves the URL at once (a redirect, as Django's password reset
does). Opening the consent link spends nothing (mail scanners open links): the answer does.
A used, expired or unknown link answers with a page saying so and what to do (410 or 404).
Without that session the guardian's pages answer 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.showcase.forms import ConsentForm, WithdrawForm
from twinning.showcase.models import PROGRAM
from twinning.showcase.privacy import export_student_data, notice_text, request_erasure
from twinning.showcase.services import (
    ConsentLinkExpired,
    ConsentLinkInvalid,
    ConsentLinkUsed,
    answer_consent,
    consent_for_manage_token,
    is_current_guardian,
    open_consent_link,
    withdraw_consent,
)
from twinning.showcase.views._common import json_download
from twinning.youth.models import Consent

ANSWERING = "showcase_consent"
GUARDIAN = "showcase_guardian"


def _link_unusable(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, ConsentLinkUsed):
        reason, status = "used", 410
    elif isinstance(error, ConsentLinkExpired):
        reason, status = "expired", 410
    else:
        reason, status = "invalid", 404
    context = {"reason": reason}
    return render(request, "showcase/guardian/link_unusable.html", context, status=status)


@never_cache
@require_safe
def consent_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        open_consent_link(token=token)
    except (ConsentLinkInvalid, ConsentLinkExpired) as error:
        return _link_unusable(request, error)
    request.session.cycle_key()
    request.session[ANSWERING] = token
    return redirect("showcase:consent_form")


def _session_consent(request: HttpRequest, key: str) -> Consent:
    consent = (
        Consent.objects.select_related("person__community__country", "person__guardian")
        .filter(pk=request.session.get(key) or 0, program=PROGRAM)
        .first()
    )
    if consent is None or not is_current_guardian(consent):
        raise Http404
    return consent


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consent_form(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(ANSWERING) or "")
    try:
        consent = open_consent_link(token=token)
    except (ConsentLinkInvalid, ConsentLinkExpired) as error:
        return _link_unusable(request, error)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = answer_consent(token=token, **form.cleaned_data)
        except (ConsentLinkInvalid, ConsentLinkExpired) as error:
            return _link_unusable(request, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[ANSWERING]
            request.session[GUARDIAN] = consent.pk
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("showcase:guardian_home")
    context = {"form": form, "student": consent.person, "notice": notice_text()}
    return render(request, "showcase/guardian/consent_form.html", context)


@never_cache
@require_safe
def guardian_link(request: HttpRequest, signed: str) -> HttpResponse:
    consent = consent_for_manage_token(signed)
    if consent is None:
        raise Http404
    request.session.cycle_key()
    request.session[GUARDIAN] = consent.pk
    return redirect("showcase:guardian_home")


@never_cache
@require_safe
def guardian_home(request: HttpRequest) -> HttpResponse:
    consent = _session_consent(request, GUARDIAN)
    student = consent.person
    consents = list(student.consents.of_program(PROGRAM).prefetch_related("answers"))
    context = {
        "student": student,
        "consent": consent,
        "participation": any(c.is_active("participation") for c in consents),
        "publication": any(c.is_active("publication") for c in consents),
        "entries": student.entries.select_related("edition", "category"),
        "open_erasure": student.erasure_requests.filter(executed_at__isnull=True).first(),
        "notice": notice_text(),
    }
    return render(request, "showcase/guardian/home.html", context)


@require_POST
def guardian_withdraw(request: HttpRequest) -> HttpResponse:
    consent = _session_consent(request, GUARDIAN)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which consent to withdraw."))
        return redirect("showcase:guardian_home")
    withdraw_consent(
        student=consent.person,
        scope=form.cleaned_data["scope"],
        by=request.user,
        guardian=consent,
    )
    messages.success(request, _("The consent is withdrawn. This took effect at once."))
    return redirect("showcase:guardian_home")


@never_cache
@require_safe
def guardian_data(request: HttpRequest) -> HttpResponse:
    consent = _session_consent(request, GUARDIAN)
    return json_download(export_student_data(consent.person), "showcase-student-data.json")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def guardian_erasure(request: HttpRequest) -> HttpResponse:
    consent = _session_consent(request, GUARDIAN)
    if request.method == "POST":
        erasure = request_erasure(student=consent.person, requested_by="guardian")
        messages.success(
            request,
            _("Your request is recorded (reference %(ref)s). We will erase the data by %(due)s.")
            % {"ref": erasure.reference, "due": erasure.deadline},
        )
        return redirect("showcase:guardian_home")
    context = {"student": consent.person, "guardian": True}
    return render(request, "showcase/erasure_confirm.html", context)
