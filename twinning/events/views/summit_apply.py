"""The summit's application pages.

A signed-in student: the neutral age screen then the application form (`summit_apply`), and
their own page (`summit_my_applications`: status, which consents are given, a new link for the
guardian, withdrawal). The guardian (no account): the single-use consent link, the answer, and
their page with withdrawal (`summit_guardian`), in the session only. Verified staff: the
summit's applications with each scope's consent, approve or decline with a message.

The health details typed in the form are written to SummitDetails and never shown on these
pages (the summit's details page, with its logged reads, is where the nurse and staff read
them)."""

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.events.forms_registration import add_questions, answers_from
from twinning.events.models import Attendee, Event, Question, SummitApplication
from twinning.events.services import moderation, registration
from twinning.events.services import summit as summit_services
from twinning.events.services import summit_apply as services
from twinning.network.choosers import CommunityField
from twinning.youth.age import is_below_minimum, refuse_under_minimum, was_refused
from twinning.youth.forms import AgeScreenForm
from twinning.youth.models import Consent
from twinning.youth.programs import get_program
from twinning.youth.services import (
    ConsentLinkExpired,
    ConsentLinkInvalid,
    ConsentLinkUsed,
    answer_consent,
    current_guardian_consent,
    open_consent_link,
)

PROGRAM = services.PROGRAM
SCREEN = "summit_apply_screen"
ANSWERING = "summit_consent_answering"
GUARDIAN = "summit_guardian_consent"
SENSITIVE = ("emergency_contacts", "medical_notes", "allergies", "dietary_needs")


# --- Forms ---------------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    community = CommunityField(label=gettext_lazy("Your community (town or city)"))
    guardian_email = forms.EmailField(
        label=gettext_lazy("Your parent's or guardian's e-mail"),
        help_text=gettext_lazy("We ask them for their consent: your place needs it."),
    )
    ticket = forms.ModelChoiceField(
        label=gettext_lazy("Ticket"), queryset=services.Ticket.objects.none(), empty_label=None
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        choices=Attendee.Gender.choices,
        required=False,
        help_text=gettext_lazy(
            "Only to share a residence-hall room with students of the same gender. Without it, "
            "our staff place you by hand."
        ),
    )
    emergency_contacts = forms.CharField(
        label=gettext_lazy("Emergency contacts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Name, relationship and telephone number of each, one per line."),
        max_length=2000,
    )
    medical_notes = forms.CharField(
        label=gettext_lazy("Medical needs (medicines, conditions)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    allergies = forms.CharField(
        label=gettext_lazy("Allergies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    dietary_needs = forms.CharField(
        label=gettext_lazy("Dietary needs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, event: Event, adult: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.adult = adult
        if adult:
            # 18 on the first day: no guardian; the student consents for themself.
            del self.fields["guardian_email"]
            self.fields["own_consent"] = forms.MultipleChoiceField(
                label=gettext_lazy("Your consent"),
                choices=[
                    ("participation", gettext_lazy("I take part in the summit.")),
                    (
                        "medical",
                        gettext_lazy("I consent to medical treatment in an emergency."),
                    ),
                    ("photos", gettext_lazy("Photos of me may be published.")),
                ],
                widget=forms.CheckboxSelectMultiple,
                required=True,
                help_text=gettext_lazy(
                    "You are 18 on the summit's first day: you give your own consent. Taking "
                    "part is needed for your place; the others are your choice."
                ),
            )
        tickets = services.summit_tickets(event)
        cast(forms.ModelChoiceField, self.fields["ticket"]).queryset = tickets
        # The registration's own questions, as on its register page: per order, and per
        # attendee for the summit's tickets (the service checks each ticket's own).
        reg = event.registration_event
        self.order_questions = registration.questions_for(reg, Question.Scope.ORDER)
        self.attendee_questions: list[Question] = []
        for ticket in tickets:
            for question in registration.questions_for(reg, Question.Scope.ATTENDEE, ticket):
                if question not in self.attendee_questions:
                    self.attendee_questions.append(question)
        add_questions(self, self.attendee_questions, {})
        add_questions(self, self.order_questions, {})

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as `apply_to_summit` takes it."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("q_")}
        data["answers"] = answers_from(self, self.order_questions)
        data["attendee_answers"] = answers_from(self, self.attendee_questions)
        if self.adult:
            data["own_consent"] = set(data.pop("own_consent", ()))
            data["guardian_email"] = ""
        return data

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("q_")]


class ConsentForm(forms.Form):
    participation = forms.BooleanField(
        label=gettext_lazy("I consent to my child taking part in the summit."), required=False
    )
    medical = forms.BooleanField(
        label=gettext_lazy(
            "I consent to medical treatment of my child in an emergency, when I cannot be reached."
        ),
        required=False,
    )
    photos = forms.BooleanField(
        label=gettext_lazy(
            "I consent to photos of my child at the summit in the association's reports."
        ),
        required=False,
    )

    def granted(self) -> set[str]:
        return {scope for scope in services.SCOPES if self.cleaned_data.get(scope)}


class WithdrawForm(forms.Form):
    scope = forms.ChoiceField(choices=[(s, s) for s in services.SCOPES])


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])
    message = forms.CharField(
        label=gettext_lazy("Message to the student"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


# --- Helpers -------------------------------------------------------------------------------------


def _summit(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, kind=Event.Kind.SUMMIT)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _scopes(consents: list[Consent]) -> list[dict[str, Any]]:
    """Each scope of the summit: its label and whether it is given now."""
    labels = get_program(PROGRAM).scopes
    return [
        {
            "scope": scope,
            "label": labels[scope],
            "active": any(c.is_active(scope) for c in consents),
        }
        for scope in services.SCOPES
    ]


# --- The student ---------------------------------------------------------------------------------


@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def summit_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """The neutral age screen (nothing stored; under 14 a kind refusal remembered only in the
    session), then the application form."""
    event = _summit(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    low, high = summit_services.age_limits(event)
    context: dict[str, Any] = {"event": event, "low": low, "high": high}
    if was_refused(request.session, PROGRAM):
        return _private(render(request, "events/summit/apply_refused.html", context))
    if (
        services.own_applications(request.user)
        .filter(
            attendee__in=summit_services.summit_participants(event),
            attendee__state__in=services.OPEN_STATES,
        )
        .exists()
    ):
        messages.info(request, _("You have already applied to this summit."))
        return redirect("events:summit_my_applications")
    screen = request.session.get(SCREEN) or {}
    if screen.get("event") != event.slug:
        return _screen(request, event, context)
    date_of_birth = datetime.date.fromisoformat(screen["date_of_birth"])
    person = getattr(request.user, "young_person", None)
    initial = (
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "guardian_email": person.guardian_email,
            "community": person.community.slug if person.community else "",
        }
        if person is not None
        else {}
    )
    form = ApplicationForm(
        request.POST or None,
        event=event,
        adult=services.is_adult_applicant(event, date_of_birth),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_to_summit(
                event=event, date_of_birth=date_of_birth, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[SCREEN]
            messages.success(
                request,
                _(
                    "Your application is received and your seat is held. Our staff confirm "
                    "your place."
                )
                if form.adult
                else _(
                    "Your application is received and your seat is held. We have asked your "
                    "parent or guardian for their consent: your place can only be confirmed "
                    "with it."
                ),
            )
            return redirect("events:summit_my_applications")
    context.update(form=form, date_of_birth=date_of_birth, known=person is not None)
    return _private(render(request, "events/summit/apply_form.html", context))


def _screen(request: HttpRequest, event: Event, context: dict[str, Any]) -> HttpResponse:
    form = AgeScreenForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        born = form.cleaned_data["date_of_birth"]
        day = summit_services.first_day(event)
        low = context["low"]
        if is_below_minimum(born, program=PROGRAM, on=day, at_least=low):
            # P-01: only the refusal is remembered, nothing about the child.
            refuse_under_minimum(request.session, PROGRAM)
            return _private(render(request, "events/summit/apply_refused.html", context))
        if reasons := summit_services.summit_age_reasons(event, born):
            context["reasons"] = reasons
            return _private(render(request, "events/summit/apply.html", context))
        request.session[SCREEN] = {"event": event.slug, "date_of_birth": born.isoformat()}
        return redirect("events:summit_apply", slug=event.slug)
    return _private(render(request, "events/summit/apply.html", context))


def _own(request: HttpRequest, pk: int) -> SummitApplication:
    return get_object_or_404(services.own_applications(request.user), pk=pk)


@never_cache
@require_safe
def summit_my_applications(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = list(services.own_applications(request.user).order_by("-created_at"))
    consents = (
        list(found[0].person.consents.of_program(PROGRAM).prefetch_related("answers"))
        if found
        else []
    )
    scopes = _scopes(consents)
    pending = any(c.responded_at is None and c.token_hash for c in consents)
    live = {Attendee.State.APPLIED, Attendee.State.APPROVED, Attendee.State.CONFIRMED}
    rows = [
        {
            "application": a,
            "attendee": a.attendee,
            # An adult applicant consented themself: there is no guardian to send a link to.
            "can_resend": bool(a.person.guardian_id) and a.attendee.state in live,
        }
        for a in found
    ]
    context = {
        "rows": rows,
        "scopes": scopes,
        "pending": pending,
        "person": found[0].person if found else None,
    }
    return _private(render(request, "events/summit/apply_mine.html", context))


@require_POST
def summit_resend_link(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _own(request, pk)
    try:
        services.resend_guardian_link(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We have sent your parent or guardian a new link."))
    return redirect("events:summit_my_applications")


@require_POST
def summit_withdraw(request: HttpRequest) -> HttpResponse:
    """The student withdraws one of the summit's consents (with effect at once)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person = getattr(request.user, "young_person", None)
    if person is None or not person.summit_applications.exists():
        raise Http404
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which consent to withdraw."))
    else:
        services.withdraw_summit_consent(
            person=person, scope=form.cleaned_data["scope"], by=request.user
        )
        messages.success(request, _("The consent is withdrawn. This took effect at once."))
    return redirect("events:summit_my_applications")


# --- The guardian --------------------------------------------------------------------------------


def _link_unusable(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, ConsentLinkUsed):
        reason, status = "used", 410
    elif isinstance(error, ConsentLinkExpired):
        reason, status = "expired", 410
    else:
        reason, status = "invalid", 404
    return _private(
        render(request, "events/summit/apply_link.html", {"reason": reason}, status=status)
    )


@never_cache
@require_safe
def summit_consent_open(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: checked, kept in the session, and out of the address bar (B11)."""
    try:
        open_consent_link(token=token, program=PROGRAM)
    except (ConsentLinkInvalid, ConsentLinkExpired) as error:
        return _link_unusable(request, error)
    request.session.cycle_key()
    request.session[ANSWERING] = token
    return redirect("events:summit_consent_form")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def summit_consent_form(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(ANSWERING) or "")
    try:
        consent = open_consent_link(token=token, program=PROGRAM)
    except (ConsentLinkInvalid, ConsentLinkExpired) as error:
        return _link_unusable(request, error)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = answer_consent(token=token, granted=form.granted(), program=PROGRAM)
        except (ConsentLinkInvalid, ConsentLinkExpired) as error:
            return _link_unusable(request, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[ANSWERING]
            request.session[GUARDIAN] = consent.pk
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("events:summit_guardian")
    context = {"form": form, "student": consent.person, "notice": services.notice_text()}
    return _private(render(request, "events/summit/apply_consent.html", context))


def _guardian_consent(request: HttpRequest) -> Consent:
    consent = current_guardian_consent(request.session.get(GUARDIAN), PROGRAM)
    if consent is None:
        raise Http404
    return consent


@never_cache
@require_safe
def summit_guardian(request: HttpRequest) -> HttpResponse:
    consent = _guardian_consent(request)
    person = consent.person
    consents = list(person.consents.of_program(PROGRAM).prefetch_related("answers"))
    context = {
        "student": person,
        "scopes": _scopes(consents),
        "applications": person.summit_applications.select_related("attendee__event"),
        "notice": services.notice_text(),
    }
    return _private(render(request, "events/summit/apply_guardian.html", context))


@require_POST
def summit_guardian_withdraw(request: HttpRequest) -> HttpResponse:
    consent = _guardian_consent(request)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which consent to withdraw."))
    else:
        services.withdraw_summit_consent(
            person=consent.person,
            scope=form.cleaned_data["scope"],
            by=request.user,
            guardian=consent,
        )
        messages.success(request, _("The consent is withdrawn. This took effect at once."))
    return redirect("events:summit_guardian")


# --- Staff ---------------------------------------------------------------------------------------


@staff_required
@require_safe
def summit_applications(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    context = {
        "event": event,
        "applications": list(services.applications(event)),
        "scopes": get_program(PROGRAM).scopes,
    }
    return render(request, "events/summit/apply_staff.html", context)


@staff_required
@require_POST
def summit_application_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _summit(slug)
    application = get_object_or_404(services.applications(event), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return redirect("events:summit_applications", slug=event.slug)
    action, message = form.cleaned_data["action"], form.cleaned_data["message"]
    try:
        if action == "approve":
            moderation.approve_attendee(
                attendee=application.attendee, message=message, by=request.user
            )
        else:
            moderation.decline_attendee(
                attendee=application.attendee, message=message, by=request.user
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = application.attendee.name
        messages.success(
            request,
            _("%(name)s is confirmed.") % {"name": name}
            if action == "approve"
            else _("%(name)s's application is declined.") % {"name": name},
        )
    return redirect("events:summit_applications", slug=event.slug)
