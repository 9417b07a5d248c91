"""The student's own page and the guardian's page.

The student (signed in; the account made at nomination, its password set through the reset
page): each of their exchanges with what a student needs, the hosting committee, the season's
dates, the placement's family (its name, address and telephone: nothing about the household,
its checks, references or home visit), school and local coordinator with their contact, the
orientations, the status history and which consents their guardian gave. Never the restricted
details: those are read only by the exchange coordinator and welfare staff, logged.

The guardian (no account) acts as for the summit and the showcase: answering youth's
single-use consent link binds their browser session to that consent record
(`sending.consent_form` keeps it under GUARDIAN), and while `youth.is_current_guardian` holds
(a replaced guardian loses access) their page shows each scope with withdrawal, through
youth's `withdraw_consent` (services.consent). Without that session the page answers 404;
a guardian who comes back later asks the committee for a new link (`student_consent_link`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from twinning.exchanges.services import consent as services
from twinning.exchanges.services.students import PROGRAM, notice_text
from twinning.youth.models import Consent
from twinning.youth.programs import get_program
from twinning.youth.services import current_guardian_consent

GUARDIAN = "exchanges_guardian_consent"


def _scope_choices() -> list[tuple[str, str]]:
    return [(scope, scope) for scope in get_program(PROGRAM).scopes]


class WithdrawForm(forms.Form):
    scope = forms.ChoiceField(choices=_scope_choices)


# --- The student ---------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def student_home(request: HttpRequest) -> HttpResponse:
    """The signed-in student's exchanges; 404 for anyone who is not an exchange student."""
    found = list(services.own_students(request.user))
    if not found:
        raise Http404
    context = {"students": found, "scopes": services.scopes_of(found[0].person)}
    return render(request, "exchanges/student_home.html", context)


# --- The guardian --------------------------------------------------------------------------------


def _guardian_consent(request: HttpRequest) -> Consent:
    consent = current_guardian_consent(request.session.get(GUARDIAN), PROGRAM)
    if consent is None:
        raise Http404
    return consent


@never_cache
@require_safe
def guardian_home(request: HttpRequest) -> HttpResponse:
    consent = _guardian_consent(request)
    person = consent.person
    context = {
        "student": person,
        "students": services.guardian_students(person),
        "scopes": services.scopes_of(person),
        "notice": notice_text(),
    }
    return render(request, "exchanges/guardian_home.html", context)


@require_POST
def guardian_withdraw(request: HttpRequest) -> HttpResponse:
    consent = _guardian_consent(request)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which consent to withdraw."))
    else:
        services.withdraw_exchange_consent(
            person=consent.person,
            scope=form.cleaned_data["scope"],
            by=request.user,
            guardian=consent,
        )
        messages.success(
            request,
            _("The consent is withdrawn. This took effect at once; the coordinators are told."),
        )
    return redirect("exchanges:guardian_home")
