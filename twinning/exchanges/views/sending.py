"""The sending committee's pages: the contact's single-use link (opening shows a button, the
POST spends it and keeps the contact in the session), their places and students, and the
nomination form. The guardian's consent link and answer (youth's consent services); the answer
opens the guardian's page (views/own.py) for the session."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from twinning.core.forms import add_service_error
from twinning.exchanges.forms import NominationForm
from twinning.exchanges.models import Student
from twinning.exchanges.navigation import CONTACT_SESSION
from twinning.exchanges.services import students as services
from twinning.exchanges.views.common import contact_for, session_contacts
from twinning.exchanges.views.own import GUARDIAN
from twinning.youth.programs import get_program
from twinning.youth.services import (
    ConsentLinkExpired,
    ConsentLinkInvalid,
    answer_consent,
    open_consent_link,
)

ANSWERING = "exchanges_consent_answering"
RESTRICTED_INPUT = ("medical_notes", "allergies", "passport_number", "passport_expires_on")


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "exchanges/link_unusable.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_open(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); the POST spends the link."""
    if request.method != "POST":
        try:
            services.open_contact_link(token=token)
        except services.ContactLinkInvalid:
            return _unusable(request)
        return render(request, "exchanges/contact_open.html")
    try:
        contact = services.use_contact_link(token=token)
    except services.ContactLinkInvalid:
        return _unusable(request)
    request.session.cycle_key()
    kept = [pk for pk in request.session.get(CONTACT_SESSION, []) if pk != contact.pk]
    request.session[CONTACT_SESSION] = [*kept, contact.pk]
    messages.success(request, _("Welcome: you can now nominate your students."))
    return redirect("exchanges:sending_home")


@require_safe
def sending_home(request: HttpRequest) -> HttpResponse:
    contacts = session_contacts(request)
    if not contacts:
        raise Http404
    quotas = {c.quota_id: c.quota for c in contacts}
    students = services.with_consents(
        Student.objects.filter(quota_id__in=quotas).listed()
    ).order_by("quota_id", "person__last_name", "pk")
    rows = [(quota, [s for s in students if s.quota_id == quota.pk]) for quota in quotas.values()]
    return render(request, "exchanges/sending_home.html", {"rows": rows})


@sensitive_post_parameters(*RESTRICTED_INPUT)
@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request: HttpRequest, quota: int) -> HttpResponse:
    contact = contact_for(request, quota)
    if contact is None:
        raise Http404
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student = services.nominate_student(
                quota=contact.quota, **form.cleaned_data, by=request.user, contact=contact
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nominated; their guardian is asked for consent.")
                % {"name": student.name},
            )
            return redirect("exchanges:student_detail", pk=student.pk)
    context = {"form": form, "quota": contact.quota, "season": contact.quota.season}
    return render(request, "exchanges/nominate.html", context)


# --- The guardian's consent ----------------------------------------------------------------------


class ConsentForm(forms.Form):
    """One checkbox per scope the exchange asks, each answered separately."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for scope, label in get_program(services.PROGRAM).scopes.items():
            self.fields[scope] = forms.BooleanField(label=str(label).capitalize(), required=False)

    def granted(self) -> set[str]:
        return {name for name, value in self.cleaned_data.items() if value}


@never_cache
@require_safe
def consent_open(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: checked, kept in the session, and out of the address bar."""
    try:
        open_consent_link(token=token, program=services.PROGRAM)
    except (ConsentLinkInvalid, ConsentLinkExpired):
        return _unusable(request)
    request.session.cycle_key()
    request.session[ANSWERING] = token
    return redirect("exchanges:consent_form")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consent_form(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(ANSWERING) or "")
    try:
        consent = open_consent_link(token=token, program=services.PROGRAM)
    except (ConsentLinkInvalid, ConsentLinkExpired):
        return _unusable(request)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = answer_consent(token=token, granted=form.granted(), program=services.PROGRAM)
        except (ConsentLinkInvalid, ConsentLinkExpired):
            return _unusable(request)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[ANSWERING]
            # The guardian's page (own.guardian_home) reads this, as the summit's does.
            request.session[GUARDIAN] = consent.pk
            return render(request, "exchanges/consent_done.html")
    context = {"form": form, "student": consent.person, "notice": services.notice_text()}
    return render(request, "exchanges/consent_form.html", context)
