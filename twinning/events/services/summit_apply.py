"""A student's application to the Youth Leadership Summit, with their guardian's consent
(issue 8 section 4; RELIABILITY P-01, P-03, P-04, P-07).

- The summit is a program of youth's registry ("summit": participation, medical treatment,
  photos, each answered separately; minimum age 14): a student who entered the showcase and
  applies to the summit is one youth Person with one Guardian, and the summit's consents are
  its own.
- `apply_to_summit`: the student's application, through the registration part's order
  (`place_order`: the seat is held, the attendee is `applied`), their restricted details
  (SummitDetails), and the guardian's consent link (youth's `request_consent`, e-mailed
  through the outbox).
- `check_summit_consent`: called from registration's `check_youth_confirmation` before any
  youth-ticket attendee is confirmed: no confirmation without active participation consent.
- `withdraw_summit_consent`: withdrawal takes effect at once. Withdrawing participation puts
  an approved or confirmed student back to `applied`: their seat stays held (a guardian may
  consent again; cancelling would refund and free the seat for good), staff are e-mailed and
  see the application as awaiting a decision again, flagged "consent withdrawn".
- Retention: the summit's consent records are kept while the summit registration is (24
  months after the summit) and 3 years more as proof (RELIABILITY P-10); then they go, and a
  person the summit was the only program of is erased (youth.privacy.erase_person)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.core.authz import NotAllowed, is_verified_staff, require
from twinning.core.dates import add_months
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.events.models import Attendee, Event, SummitApplication, SummitDetails, Ticket
from twinning.events.services import registration
from twinning.events.services.summit import (
    PERSONAL_RETENTION_MONTHS,
    RESTRICTED_FIELDS,
    age_on,
    first_day,
    last_day,
    summit_age_reasons,
    summit_of,
    summit_participants,
)
from twinning.outbox.services import queue_email
from twinning.youth.models import Consent, Person, consent_active
from twinning.youth.privacy import erase_person
from twinning.youth.services import (
    find_or_create_person,
    has_consent,
    record_own_consent,
    request_consent,
    withdraw_consent,
)

PROGRAM = "summit"
SCOPES = ("participation", "medical", "photos")
NOTICE_VERSION = "2026-12"
PROOF_YEARS = 3
OPEN_STATES = (Attendee.State.APPLIED, Attendee.State.APPROVED, Attendee.State.CONFIRMED)


def notice_text() -> str:
    return _(
        "The Youth Leadership Summit keeps your child's name, date of birth, community, "
        "contact and emergency details, and the health details you give us, to run the summit "
        "safely. Health and emergency details are read only by the summit's nurse, its "
        "chaperones (emergency contacts and allergies) and our welfare staff, and deleted 60 days "
        "after the summit; the rest of the registration 24 months after it. You answer each "
        "point separately: taking part; medical treatment in an emergency, when you cannot be "
        "reached; photos of your child in the association's reports. You can withdraw any of "
        "them at any time, with effect at once."
    )


def register_youth_program() -> None:
    """The summit's scopes in youth's registry (called from the events AppConfig.ready())."""
    from twinning.youth.programs import register_program

    register_program(
        PROGRAM,
        label=gettext_lazy("Youth Leadership Summit"),
        scopes={
            "participation": gettext_lazy("taking part"),
            "medical": gettext_lazy("medical treatment in an emergency"),
            "photos": gettext_lazy("photos"),
        },
        minimum_age=14,
        notice=notice_text,
        notice_version=NOTICE_VERSION,
        requires={
            "medical": (
                ("participation",),
                gettext_lazy("Medical treatment is only asked for a student taking part."),
            ),
            "photos": (
                ("participation",),
                gettext_lazy("Photos are only possible of a student taking part."),
            ),
        },
    )


# --- Reads ---------------------------------------------------------------------------------------


def consent_person(attendee: Attendee) -> Person | None:
    """The young person whose consent a youth-ticket attendee needs: the application's, or
    the person of the attendee's account."""
    application = SummitApplication.objects.filter(attendee=attendee).select_related("person")
    found = application.first()
    if found is not None:
        return found.person
    if attendee.user_id:
        return Person.objects.filter(user_id=attendee.user_id).first()
    return None


def check_summit_consent(attendee: Attendee) -> None:
    """ValidationError unless a youth-ticket attendee's guardian consents to taking part in
    the summit now (RELIABILITY P-03)."""
    if not attendee.ticket.for_youth:
        return
    person = consent_person(attendee)
    if person is None or not has_consent(person, PROGRAM, "participation"):
        raise ValidationError(
            _(
                "%(name)s cannot be confirmed: their guardian has not given consent to taking "
                "part in the summit (or has withdrawn it)."
            )
            % {"name": attendee.name}
        )


def applications(event: Event) -> QuerySet[SummitApplication]:
    """The summit's applications, each with its consent status by scope (`participation`,
    `medical`, `photos`: active now; `pending`: a link not yet answered)."""
    from django.db.models import Exists, OuterRef

    pending = Consent.objects.filter(person=OuterRef("person"), program=PROGRAM).pending()
    return (
        SummitApplication.objects.filter(attendee__in=summit_participants(event))
        .select_related("attendee__ticket", "attendee__community", "person")
        .annotate(
            **{scope: consent_active(PROGRAM, scope, person="person") for scope in SCOPES},
            pending=Exists(pending),
        )
        .order_by("attendee__state", "attendee__last_name", "attendee__first_name", "pk")
    )


def own_applications(user: Any) -> QuerySet[SummitApplication]:
    return SummitApplication.objects.filter(person__user=user).select_related(
        "attendee__event", "attendee__ticket", "person__guardian"
    )


def summit_tickets(event: Event) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        event_id__in=[event.pk, event.registration_event.pk], for_youth=True
    ).order_by("price", "pk")


# --- The application -----------------------------------------------------------------------------


def _consent_mail(application: SummitApplication, consent: Consent, by: Any) -> None:
    person = application.person
    queue_email(
        to=consent.email,
        template="events.summit_consent_request",
        context={
            "event_title": application.attendee.event.title,
            "student_name": f"{person.first_name} {person.last_name}",
            "consent_url": absolute_url(
                reverse("events:summit_consent_open", kwargs={"token": consent.token})  # type: ignore[attr-defined]
            ),
            "days": 7,
        },
        related=consent,
        by=by,
    )


@transaction.atomic
def apply_to_summit(
    *,
    event: Event,
    ticket: Ticket,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    community: Any,
    guardian_email: str,
    emergency_contacts: str,
    medical_notes: str = "",
    allergies: str = "",
    dietary_needs: str = "",
    gender: str = "",
    answers: dict[Any, Any] | None = None,
    attendee_answers: dict[Any, Any] | None = None,
    own_consent: set[str] | None = None,
    by: Any,
) -> SummitApplication:
    """A signed-in student applies: their young person (the one they already are, from the
    showcase, or a new one), one order through registration (the attendee `applied`, holding a
    seat, waiting for staff whether or not the conference moderates its other registrations),
    their restricted details, their declared gender (for the rooms), their answers to the
    registration's questions (per order and for the ticket), and the guardian's consent link
    by e-mail. A student who is 18 on the summit's first day is an adult: no guardian is
    asked; they give their own consent here (`own_consent`, participation at least)."""
    require(by, "events.register", event)
    if event.kind != Event.Kind.SUMMIT:
        raise ValidationError(_("This event is not a Youth Leadership Summit."))
    if not ticket.for_youth or not summit_tickets(event).filter(pk=ticket.pk).exists():
        raise ValidationError({"ticket": _("Choose the summit's student ticket.")})
    if reasons := summit_age_reasons(event, date_of_birth):
        raise ValidationError({"date_of_birth": reasons})
    adult = is_adult_applicant(event, date_of_birth)
    guardian_email = "" if adult else guardian_email.strip().lower()
    own_consent = set(own_consent or ()) if adult else set()
    if adult and "participation" not in own_consent:
        raise ValidationError(
            {"own_consent": _("Give your consent to taking part: your place needs it.")}
        )
    if not adult and not guardian_email:
        raise ValidationError({"guardian_email": _("Give your parent's or guardian's e-mail.")})
    if guardian_email and guardian_email == (by.email or "").strip().lower():
        raise ValidationError(
            {"guardian_email": _("Give your parent's or guardian's own e-mail address, not yours.")}
        )
    if not emergency_contacts.strip():
        raise ValidationError({"emergency_contacts": _("Give at least one emergency contact.")})
    if (
        own_applications(by)
        .filter(attendee__in=summit_participants(event), attendee__state__in=OPEN_STATES)
        .exists()
    ):
        raise ValidationError(_("You have already applied to this summit."))
    person = find_or_create_person(
        user=by,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        community=community,
        guardian_email=guardian_email,
        by=by,
    )
    order = registration.place_order(
        event=event,
        people=[
            registration.Person(
                ticket=ticket,
                first_name=first_name,
                last_name=last_name,
                email=by.email,
                user=by,
                answers=attendee_answers or {},
            )
        ],
        email=by.email,
        buyer=by,
        member=None,
        order_answers=answers or {},
    )
    attendee = order.attendees.get()
    attendee.role = Attendee.Role.STUDENT
    attendee.date_of_birth = date_of_birth
    attendee.community = community
    attendee.gender = gender
    attendee.full_clean()
    attendee.save(update_fields=["role", "date_of_birth", "community", "gender", "updated_at"])
    details = SummitDetails(
        attendee=attendee,
        emergency_contacts=emergency_contacts.strip(),
        medical_notes=medical_notes.strip(),
        allergies=allergies.strip(),
        dietary_needs=dietary_needs.strip(),
    )
    details.full_clean()
    details.save()
    application = SummitApplication(attendee=attendee, person=person)
    application.full_clean()
    application.save()
    if adult:
        record_own_consent(person=person, program=PROGRAM, granted=own_consent, by=by)
    elif not has_consent(person, PROGRAM, "participation"):
        consent = request_consent(person=person, program=PROGRAM, by=by)
        _consent_mail(application, consent, by)
    registration.send_order_mail(order, "events.registration_applied", author=by)
    # Health data: the entry names the fields given, never their content.
    log_activity(
        application,
        "events.summit.applied",
        by=by,
        data={"fields": [name for name in RESTRICTED_FIELDS if getattr(details, name)]},
    )
    return application


def is_adult_applicant(event: Event, date_of_birth: datetime.date) -> bool:
    """Whether an applicant born on this day is 18 or over on the summit's first day (in its
    time zone): an adult consents for themself, no guardian is asked."""
    return age_on(date_of_birth, first_day(event)) >= 18


def _check_own_or_staff(application: SummitApplication, by: Any) -> None:
    if is_verified_staff(by):
        return
    if not getattr(by, "is_authenticated", False) or application.person.user_id != by.pk:
        raise NotAllowed("events.summit_application")


@transaction.atomic
def resend_guardian_link(*, application: SummitApplication, by: Any) -> Consent:
    """A new consent link for the guardian (the earlier unanswered one stops working). The
    student themself or verified staff."""
    _check_own_or_staff(application, by)
    if application.attendee.state not in OPEN_STATES:
        raise ValidationError(_("This application is closed."))
    consent = request_consent(person=application.person, program=PROGRAM, by=by)
    _consent_mail(application, consent, by)
    log_activity(application, "events.summit.consent_link_resent", by=by)
    return consent


def _staff_address() -> str:
    """The association's contact address, which staff read (empty: no address recorded, the
    applications page alone shows the withdrawal)."""
    from twinning.core.models import Association

    association = Association.objects.only("email").first()
    return association.email if association else ""


@transaction.atomic
def withdraw_summit_consent(
    *, person: Person, scope: str, by: Any, guardian: Consent | None = None
) -> list[Attendee]:
    """Withdraw a scope of the summit's consent at once (youth's `withdraw_consent`: the
    person, verified staff, or the guardian through the consent their link opened). Without
    participation, each approved or confirmed summit place of the person goes back to
    `applied` (seat held, staff told by e-mail). Returns those attendees."""
    withdraw_consent(person=person, program=PROGRAM, scope=scope, by=by, guardian=guardian)
    if has_consent(person, PROGRAM, "participation"):
        return []
    back = []
    for application in SummitApplication.objects.select_related(
        "attendee__event", "attendee__ticket"
    ).filter(
        person=person,
        attendee__state__in=(Attendee.State.APPROVED, Attendee.State.CONFIRMED),
    ):
        attendee = application.attendee
        registration.lock_event(attendee.event)
        attendee.state = Attendee.State.APPLIED
        attendee.decided_at = None
        attendee.save(update_fields=["state", "decided_at", "updated_at"])
        log_activity(attendee, "events.summit.confirmation_withdrawn", by=by, data={"scope": scope})
        if staff := _staff_address():
            queue_email(
                to=staff,
                template="events.summit_consent_withdrawn",
                context={
                    "event_title": attendee.event.title,
                    "person_name": attendee.name,
                    "staff_url": absolute_url(
                        reverse("events:summit_applications", kwargs={"slug": summit.slug})
                        if (summit := summit_of(attendee))
                        else "/"
                    ),
                },
                related=attendee,
                by=by,
            )
        back.append(attendee)
    return back


# --- Retention -----------------------------------------------------------------------------------


def consent_retention_date(event: Event) -> datetime.date:
    """When the summit's consent records go: the registration's 24 months, and 3 years of
    proof (RELIABILITY P-10)."""
    return add_months(last_day(event), PERSONAL_RETENTION_MONTHS + 12 * PROOF_YEARS)


def apply_consent_retention(*, today: datetime.date | None = None) -> int:
    """The nightly job: for each summit past its consent retention date, each applicant's
    summit consents go, and a person the summit was the only program of is erased (their
    account too unless it has another role). Returns how many people were handled."""
    done = 0
    for event in Event.objects.filter(kind=Event.Kind.SUMMIT):
        day = today or timezone.now().astimezone(event.zone).date()
        if day < consent_retention_date(event):
            continue
        with transaction.atomic():
            found = SummitApplication.objects.filter(attendee__in=summit_participants(event))
            for application in list(found.select_related("person")):
                person = application.person
                application.delete()
                if SummitApplication.objects.filter(person=person).exists():
                    continue  # another summit still holds them
                erase_person(person, program=PROGRAM)
                done += 1
            if done:
                log_activity(event, "events.summit.retention_consents", data={"people": done})
    return done
