"""Staff pages of registration, under /staff/events/: the events with their registration
figures, an event's registration list (paginated, filtered, searched, exported as CSV or
XLSX in constant queries), decisions on applications, the waiting list, tickets, questions
and the capacity. Every view is `staff_required` (signed in, staff, second factor verified)."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.exports import Sheet, csv_text, xlsx_bytes
from twinning.core.forms import add_service_error
from twinning.core.paging import paginate
from twinning.events.forms_registration import (
    CapacityForm,
    DecisionForm,
    QuestionForm,
    RegistrationFilterForm,
    TicketForm,
)
from twinning.events.models import Attendee, Event, Order, Question, Ticket, WaitingListEntry
from twinning.events.services.moderation import (
    approve_attendee,
    decline_attendee,
    waitlist_attendee,
)
from twinning.events.services.registration import (
    RegistrationFigures,
    event_tickets,
    registration_figures,
    seats_available,
)
from twinning.events.services.staff_settings import change_capacity, save_question, save_ticket
from twinning.events.services.waitlist import leave_waiting_list
from twinning.network.models import Member

PAGE_SIZE = 50
DECISIONS = {
    "approve": approve_attendee,
    "decline": decline_attendee,
    "waitlist": waitlist_attendee,
}
HOLDING = [Attendee.State.APPLIED, Attendee.State.APPROVED, Attendee.State.CONFIRMED]


def _reg_event(slug: str) -> Event:
    event = get_object_or_404(Event.objects.all(), slug=slug)
    return event.registration_event


@staff_required
@require_safe
def staff_registration_events(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.top_level()
        .annotate(
            held=Count("attendees", filter=Q(attendees__state__in=HOLDING)),
            applied=Count("attendees", filter=Q(attendees__state=Attendee.State.APPLIED)),
        )
        .order_by("-starts_at", "-pk")
    )
    page = paginate(request, events, PAGE_SIZE)
    return render(request, "events/registration/staff_events.html", {"page": page})


def _registrations(event: Event, form: RegistrationFilterForm) -> Any:
    rows = Attendee.objects.filter(event=event).select_related(
        "ticket", "order", "order__member", "country"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["ticket"]:
            rows = rows.filter(ticket=data["ticket"])
        if data["committee"]:
            rows = rows.filter(order__member=data["committee"])
        if data["q"]:
            q = data["q"].strip()
            rows = rows.filter(
                Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(email__icontains=q)
                | Q(order__code__iexact=q)
            )
    return rows.order_by("last_name", "first_name", "pk")


# What a row of the staff list shows, read as values (no model instances: the page reads 50
# rows over three joins, and whole rows made up a third of its time at 10,000 registrations,
# bench/events.py); each row gets its state's label.
LIST_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "email",
    "state",
    "price",
    "ticket__name",
    "order__code",
    "order__member__name",
)


def _with_labels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = {value: str(label) for value, label in Attendee.State.choices}
    for row in rows:
        row["state_label"] = labels.get(row["state"], row["state"])
    return rows


def _known_count(form: RegistrationFilterForm, figures: RegistrationFigures) -> int | None:
    """The number of rows the filters leave, when the state counts already tell it (no
    filter, or only the state's): the paginator then runs no COUNT of its own."""
    if not form.is_bound or not form.is_valid():  # _registrations ignores invalid filters
        return figures.total
    data = form.cleaned_data
    if data["ticket"] or data["committee"] or data["q"]:
        return None
    return figures.by_state.get(data["state"], 0) if data["state"] else figures.total


def _filter_form(request: HttpRequest, event: Event) -> RegistrationFilterForm:
    return RegistrationFilterForm(
        request.GET or None,
        tickets=event_tickets(event).select_related("event"),
        committees=Member.objects.filter(
            pk__in=Order.objects.filter(event=event, member__isnull=False).values("member_id")
        ).order_by("name"),
    )


@staff_required
@require_safe
def staff_registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _reg_event(slug)
    form = _filter_form(request, event)
    figures = registration_figures(event)
    rows = _registrations(event, form).values(*LIST_FIELDS)
    page = paginate(request, rows, PAGE_SIZE, count=_known_count(form, figures))
    page.object_list = _with_labels(list(page.object_list))
    context = {
        "event": event,
        "form": form,
        "page": page,
        "counts": [
            (value, label, figures.by_state.get(value, 0))
            for value, label in Attendee.State.choices
        ],
        "seats_left": figures.available,
        "query": request.GET.urlencode(),
        "decision_form": DecisionForm(),
    }
    return render(request, "events/registration/staff_registrations.html", context)


EXPORT_HEADER = (
    "order",
    "first_name",
    "last_name",
    "email",
    "ticket",
    "state",
    "committee",
    "price",
    "price_applied",
    "details_completed",
    "registered_at",
)


def _export_rows(rows: Any) -> Any:
    for a in rows.iterator(chunk_size=2000):
        yield (
            a.order.code,
            a.first_name,
            a.last_name,
            a.email,
            a.ticket.name,
            a.get_state_display(),
            a.order.member.name if a.order.member else "",
            str(a.price),
            a.price_reason,
            "yes" if a.details_completed_at else "",
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
        )


@staff_required
@require_safe
def staff_registrations_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    event = _reg_event(slug)
    rows = _registrations(event, _filter_form(request, event))
    if fmt == "xlsx":
        body = xlsx_bytes([Sheet(title=event.title, header=EXPORT_HEADER, rows=_export_rows(rows))])
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(
            csv_text(EXPORT_HEADER, _export_rows(rows)), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.{fmt}"'
    return response


@staff_required
@require_POST
def staff_attendee_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    attendee = get_object_or_404(Attendee.objects.select_related("event"), pk=pk)
    if decision not in DECISIONS:
        raise Http404
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        DECISIONS[decision](attendee=attendee, message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(name)s is told by e-mail.") % {"name": attendee.name})
    return redirect("events:staff_registrations", slug=attendee.event.slug)


@staff_required
@require_safe
def staff_waiting_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _reg_event(slug)
    entries = (
        WaitingListEntry.objects.filter(event=event)
        .select_related("ticket", "member")
        .order_by("created_at", "pk")
    )
    page = paginate(request, entries, PAGE_SIZE)
    figures = registration_figures(event)
    context = {
        "event": event,
        "page": page,
        "seats_left": figures.available,
        "offered": figures.offered,
        "taken": figures.taken,
    }
    return render(request, "events/registration/staff_waiting_list.html", context)


@staff_required
@require_POST
def staff_waiting_list_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitingListEntry.objects.select_related("event"), pk=pk)
    try:
        leave_waiting_list(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is off the waiting list.") % {"name": entry.name})
    return redirect("events:staff_waiting_list", slug=entry.event.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_tickets(request: HttpRequest, slug: str) -> HttpResponse:
    return _ticket_page(request, _reg_event(slug), None)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_ticket_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _reg_event(slug)
    return _ticket_page(request, event, get_object_or_404(Ticket, pk=pk, event=event))


def _ticket_page(request: HttpRequest, event: Event, ticket: Ticket | None) -> HttpResponse:
    form = TicketForm(request.POST or None, instance=ticket)
    if request.method == "POST" and form.is_valid():
        try:
            save_ticket(event=event, ticket=ticket, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(cast(Any, form), error)
        else:
            messages.success(request, _("The ticket is saved."))
            return redirect("events:staff_tickets", slug=event.slug)
    if ticket is not None:
        ticket.refresh_from_db()  # the form's invalid values must not show as saved
    tickets = event_tickets(event).annotate(
        held=Count("attendees", filter=Q(attendees__state__in=HOLDING))
    )
    context = {
        "event": event,
        "ticket": ticket,
        "tickets": tickets,
        "form": form,
        "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
        "seats_left": seats_available(event),
    }
    return render(request, "events/registration/staff_tickets.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_questions(request: HttpRequest, slug: str) -> HttpResponse:
    return _question_page(request, _reg_event(slug), None)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _reg_event(slug)
    return _question_page(request, event, get_object_or_404(Question, pk=pk, event=event))


def _question_page(request: HttpRequest, event: Event, question: Question | None) -> HttpResponse:
    tickets = Ticket.objects.filter(event=event)
    form = QuestionForm(request.POST or None, instance=question, tickets=tickets)
    if request.method == "POST" and form.is_valid():
        try:
            save_question(event=event, question=question, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(cast(Any, form), error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("events:staff_questions", slug=event.slug)
    questions = Question.objects.filter(event=event).select_related("ticket")
    context = {"event": event, "question": question, "questions": questions, "form": form}
    return render(request, "events/registration/staff_questions.html", context)


@staff_required
@require_POST
def staff_capacity(request: HttpRequest, slug: str) -> HttpResponse:
    event = _reg_event(slug)
    form = CapacityForm(request.POST)
    if "capacity" not in request.POST or not form.is_valid():
        messages.error(request, _("Enter the capacity as a whole number, or leave it empty."))
    else:
        try:
            change_capacity(event=event, capacity=form.cleaned_data["capacity"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The capacity is saved; freed seats go to the waiting list.")
            )
    return redirect("events:staff_tickets", slug=event.slug)
