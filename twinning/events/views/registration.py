"""Registration pages of people and committees: register, my registrations, an order (name
changes, cancellation), the waiting list and its offers, a delegation (for the committee's
admins) and an attendee's single-use details page. Orders and attendees another person holds
answer 404 (C12); a service's NotAllowed answers 404 through the middleware."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.events.forms_registration import (
    MAX_DELEGATES,
    DetailsForm,
    OfferForm,
    RegisterForm,
    RenameForm,
    WaitingListForm,
    answers_from,
    delegate_formset,
)
from twinning.events.models import Attendee, Event, Order, Question, Ticket, WaitingListEntry
from twinning.events.services.delegations import (
    complete_attendee_details,
    find_details_link,
    register_delegation,
    resend_details_link,
)
from twinning.events.services.pricing import (
    Quote,
    Standing,
    member_price_refusals,
    quote,
    standing_of,
)
from twinning.events.services.registration import (
    Person,
    SoldOut,
    cancel_attendee,
    cancel_order,
    change_attendee_name,
    event_tickets,
    questions_for,
    refund_for,
    register_for_event,
    seats_available,
)
from twinning.events.services.waitlist import (
    accept_offer,
    decline_offer,
    find_offer,
    join_waiting_list,
    leave_waiting_list,
)
from twinning.network.models import Member


def _event(slug: str) -> Event:
    return get_object_or_404(Event.objects.published(), slug=slug)


def _my_orders(user: Any) -> Any:
    """Orders the person registered, or their committee's (never everyone's, even for staff:
    staff have their own pages)."""
    return Order.objects.filter(Q(buyer=user) | Q(member__admins=user)).distinct()


def _uid(request: HttpRequest) -> Any:
    return request.user.pk


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _register_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    reg = event.registration_event
    tickets = event_tickets(reg)
    members = Member.objects.administered_by(request.user)
    standings: dict[int, Standing] = {}  # each committee's read once for all the tickets

    def standing(member: Member) -> Standing:
        if member.pk not in standings:
            standings[member.pk] = standing_of(member)
        return standings[member.pk]

    prices = [
        {
            "ticket": t,
            "quote": quote(t),
            "members": [(m, quote(t, member=m, standing=standing(m))) for m in members]
            if t.member_price
            else [],
        }
        for t in tickets
    ]
    return {
        "event": event,
        "reg": reg,
        "prices": prices,
        "seats": seats_available(reg),
        "tickets": tickets,
        "members": members,
        "order_questions": questions_for(reg, Question.Scope.ORDER),
        "attendee_questions": list(
            Question.objects.filter(
                Q(event=reg) | Q(event__parent=reg), scope=Question.Scope.ATTENDEE
            ).select_related("ticket")
        ),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    context = _register_context(request, event)
    form = RegisterForm(
        request.POST or None,
        tickets=context["tickets"],
        members=context["members"],
        order_questions=context["order_questions"],
        attendee_questions=context["attendee_questions"],
        initial={"email": getattr(request.user, "email", ""), **_name_parts(request.user)},
    )
    sold_out = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = register_for_event(
                event=event,
                ticket=data["ticket"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                member=data.get("member"),
                answers=answers_from(form, context["order_questions"]),
                attendee_answers=answers_from(form, context["attendee_questions"]),
                by=request.user,
            )
        except SoldOut as error:
            sold_out = True
            form.add_error(None, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("You are registered. A confirmation is on its way."))
            return redirect("events:order_detail", code=order.code)
    context.update(
        form=form,
        sold_out=sold_out or context["seats"] == 0,
        waiting_form=WaitingListForm(
            initial={
                "name": getattr(request.user, "full_name", ""),
                "email": getattr(request.user, "email", ""),
            }
        ),
    )
    return _no_store(render(request, "events/registration/register.html", context))


def _name_parts(user: Any) -> dict[str, str]:
    first, _sep, last = (user.full_name or "").partition(" ")
    return {"first_name": first, "last_name": last}


@login_required
@require_POST
def waiting_list_join(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = WaitingListForm(request.POST)
    if form.is_valid():
        try:
            join_waiting_list(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("You are on the waiting list. We will e-mail you when seats free up.")
            )
            return redirect("events:my_registrations")
    else:
        messages.error(request, _("Check the party size, your name and your e-mail."))
    return redirect("events:register", slug=event.slug)


@login_required
@require_safe
def my_registrations(request: HttpRequest) -> HttpResponse:
    orders = (
        _my_orders(request.user)
        .select_related("event", "member")
        .prefetch_related("attendees__ticket")
        .order_by("-created_at", "-pk")
    )
    entries = (
        WaitingListEntry.objects.filter(
            user_id=_uid(request),
            state__in=[WaitingListEntry.State.WAITING, WaitingListEntry.State.OFFERED],
        )
        .select_related("event")
        .order_by("created_at")
    )
    open_events = Event.objects.published().upcoming().top_level()[:20]
    context = {"orders": orders, "entries": entries, "open_events": open_events}
    return _no_store(render(request, "events/registration/my_registrations.html", context))


@login_required
@require_safe
def order_detail(request: HttpRequest, code: str) -> HttpResponse:
    order = get_object_or_404(
        _my_orders(request.user).select_related("event", "member", "invoice"), code=code
    )
    now = timezone.now()
    attendees = list(order.attendees.select_related("ticket").order_by("pk"))
    for attendee in attendees:
        attendee.refund_now = refund_for(attendee, now)
        attendee.is_active = attendee.state in (
            Attendee.State.APPLIED,
            Attendee.State.APPROVED,
            Attendee.State.CONFIRMED,
        )
    deadline = order.event.name_changes_until or order.event.starts_at
    context = {
        "order": order,
        "attendees": attendees,
        "can_rename": now <= deadline,
        "name_deadline": deadline,
        "rename_form": RenameForm(),
    }
    return _no_store(render(request, "events/registration/order_detail.html", context))


@login_required
@require_POST
def order_cancel(request: HttpRequest, code: str) -> HttpResponse:
    order = get_object_or_404(_my_orders(request.user), code=code)
    try:
        refund = cancel_order(order=order, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The order is cancelled. Refund: %(refund)s %(currency)s.")
            % {"refund": refund, "currency": order.event.currency},
        )
    return redirect("events:order_detail", code=order.code)


def _my_attendee(request: HttpRequest, pk: int) -> Attendee:
    return get_object_or_404(
        Attendee.objects.select_related("order", "event", "ticket").filter(
            Q(order__in=_my_orders(request.user)) | Q(user_id=_uid(request))
        ),
        pk=pk,
    )


@login_required
@require_POST
def attendee_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    attendee = _my_attendee(request, pk)
    try:
        refund = cancel_attendee(attendee=attendee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s's registration is cancelled. Refund: %(refund)s %(currency)s.")
            % {"name": attendee.name, "refund": refund, "currency": attendee.event.currency},
        )
    return redirect("events:order_detail", code=attendee.order.code)


@login_required
@require_POST
def attendee_rename(request: HttpRequest, pk: int) -> HttpResponse:
    attendee = _my_attendee(request, pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a first and a last name."))
    else:
        try:
            change_attendee_name(attendee=attendee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The name on the ticket is changed."))
    return redirect("events:order_detail", code=attendee.order.code)


@require_http_methods(["GET", "HEAD", "POST"])
def waiting_list_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The offer's single-use page: accept (with the names) or decline. The link is the
    authority; a dead or unknown one answers 404."""
    entry = find_offer(token)
    if entry is None or entry.state != WaitingListEntry.State.OFFERED:
        raise Http404
    form = OfferForm(request.POST or None, party_size=entry.party_size)
    expired = entry.offer_expires_at is None or entry.offer_expires_at <= timezone.now()
    if request.method == "POST" and request.POST.get("answer") == "decline":
        decline_offer(token=token, by=request.user)
        return _no_store(
            render(
                request, "events/registration/offer_done.html", {"entry": entry, "declined": True}
            )
        )
    if request.method == "POST" and form.is_valid():
        try:
            order = accept_offer(token=token, people=form.people(), by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _no_store(
                render(
                    request, "events/registration/offer_done.html", {"entry": entry, "order": order}
                )
            )
    context = {"entry": entry, "form": form, "expired": expired}
    return _no_store(render(request, "events/registration/offer.html", context))


@login_required
@require_POST
def waiting_list_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitingListEntry.objects.filter(user_id=_uid(request)), pk=pk)
    try:
        leave_waiting_list(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You left the waiting list."))
    return redirect("events:my_registrations")


# --- Delegations -----------------------------------------------------------------------------


def _my_member(request: HttpRequest, slug: str) -> Member:
    return get_object_or_404(Member.objects.administered_by(request.user), slug=slug)


@login_required
@require_safe
def delegation_events(request: HttpRequest, member: str) -> HttpResponse:
    committee = _my_member(request, member)
    events = Event.objects.published().upcoming().top_level()
    orders = (
        Order.objects.filter(member=committee, is_delegation=True)
        .select_related("event")
        .order_by("-created_at")
    )
    context = {
        "member": committee,
        "events": events,
        "orders": orders,
        "refusals": member_price_refusals(committee),
    }
    return _no_store(render(request, "events/registration/delegation_events.html", context))


def _prices(tickets: Any, committee: Member) -> list[tuple[Ticket, Quote]]:
    """Each ticket's quote for the committee, its good standing read once (if any ticket has
    a member price)."""
    tickets = list(tickets)
    known = standing_of(committee) if any(t.member_price is not None for t in tickets) else None
    return [(t, quote(t, member=committee, standing=known)) for t in tickets]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegation_create(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    committee = _my_member(request, member)
    event = _event(slug)
    tickets = event_tickets(event).filter(for_youth=False)
    try:
        blocks = int(request.GET.get("people", 3))
    except ValueError:
        blocks = 3
    blocks = max(1, min(blocks, MAX_DELEGATES))
    formset = delegate_formset(blocks)(
        request.POST or None, form_kwargs={"tickets": tickets}, prefix="people"
    )
    error_text = ""
    if request.method == "POST" and formset.is_valid():
        people = [
            Person(
                ticket=f.cleaned_data["ticket"],
                first_name=f.cleaned_data["first_name"],
                last_name=f.cleaned_data["last_name"],
                email=f.cleaned_data["email"],
            )
            for f in formset.forms
            if f.cleaned_data
        ]
        try:
            order = register_delegation(
                event=event,
                member=committee,
                people=people,
                email=getattr(request.user, "email", ""),
                by=request.user,
            )
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(
                request, _("The delegation is registered; each person has their details link.")
            )
            return redirect("events:delegation_detail", code=order.code)
    context = {
        "member": committee,
        "event": event,
        "formset": formset,
        "blocks": blocks,
        "max_delegates": MAX_DELEGATES,
        "error_text": error_text,
        "prices": _prices(tickets, committee),
        "seats": seats_available(event),
    }
    return _no_store(render(request, "events/registration/delegation_form.html", context))


@login_required
@require_safe
def delegation_detail(request: HttpRequest, code: str) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.filter(is_delegation=True, member__admins__pk=_uid(request)).select_related(
            "event", "member", "invoice"
        ),
        code=code,
    )
    # Only what the leader may see: never the attendees' own details (date of birth, gender,
    # answers), which stay out of this query and this page.
    attendees = order.attendees.select_related("ticket").only(
        "pk",
        "first_name",
        "last_name",
        "email",
        "state",
        "price",
        "details_completed_at",
        "ticket__name",
        "order_id",
    )
    context = {"order": order, "attendees": attendees.order_by("pk")}
    return _no_store(render(request, "events/registration/delegation_detail.html", context))


@login_required
@require_POST
def delegation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    attendee = get_object_or_404(
        Attendee.objects.filter(
            order__is_delegation=True, order__member__admins__pk=_uid(request)
        ).select_related("order__member", "event"),
        pk=pk,
    )
    try:
        resend_details_link(attendee=attendee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new link is on its way to %(name)s.") % {"name": attendee.name}
        )
    return redirect("events:delegation_detail", code=attendee.order.code)


@require_http_methods(["GET", "HEAD", "POST"])
def attendee_details(request: HttpRequest, token: str) -> HttpResponse:
    """An attendee's single-use page to complete their own details; the link is the authority
    (an unknown, spent or expired one answers 404)."""
    attendee = find_details_link(token)
    if attendee is None:
        raise Http404
    questions = questions_for(attendee.event, Question.Scope.ATTENDEE, attendee.ticket)
    form = DetailsForm(
        request.POST or None,
        questions=questions,
        initial={
            "first_name": attendee.first_name,
            "last_name": attendee.last_name,
            "email": attendee.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        details = {k: form.cleaned_data[k] for k in DetailsForm.base_fields}
        try:
            complete_attendee_details(
                token=token, details=details, answers=answers_from(form, questions), by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _no_store(
                render(request, "events/registration/details_done.html", {"attendee": attendee})
            )
    context = {"attendee": attendee, "form": form}
    return _no_store(render(request, "events/registration/details_form.html", context))
