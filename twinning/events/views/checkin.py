"""Check-in pages: staff's (and organisers') check-in page per event, who is checked in, the
offline list (CSV and a self-contained page) and its merge; badge sheets for staff; tickets
for their holders, their buyer and their delegation's committee admin."""

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from twinning.accounts.decorators import otp_verify_url, staff_required
from twinning.core.authz import is_verified_staff
from twinning.core.exports import csv_lines
from twinning.core.forms import add_service_error
from twinning.core.navigation import keeps_roles
from twinning.core.paging import paginate
from twinning.events.models import Attendee, Event, Order
from twinning.events.services.checkin import (
    can_check_in,
    check_in_attendee,
    checkin_counts,
    expected_attendees,
    merge_offline_scans,
)
from twinning.events.services.tickets import (
    badge_attendees,
    badges_pdf,
    event_dates,
    organisation,
    ticket_pdf,
    tickets_held_by,
    tickets_visible_to,
)

PAGE_SIZE = 50
View = Callable[..., HttpResponseBase]
R = TypeVar("R", bound=HttpResponseBase)


def _no_store(response: R) -> R:
    patch_cache_control(response, private=True, no_store=True)
    return response


def checkin_required(view: View) -> View:
    """Verified staff and the event's organisers: anonymous visitors sign in, staff without
    their second factor go to the code page, anyone else gets 404 (C12). The view receives
    the event instead of its slug."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.is_staff and not is_verified_staff(user):
            return redirect(otp_verify_url(request.get_full_path()))
        event = get_object_or_404(Event.objects.select_related("parent"), slug=slug)
        if not can_check_in(user, event):
            raise Http404
        return _no_store(view(request, event, *args, **kwargs))

    return wrapped


def _file(data: bytes, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


# --- The events to check in at ---------------------------------------------------------------


@login_required
@require_safe
def checkin_home(request: HttpRequest) -> HttpResponse:
    """The events the person may check people in at, from yesterday on (staff: all)."""
    user = request.user
    if user.is_staff and not is_verified_staff(user):
        return redirect(otp_verify_url(request.get_full_path()))
    since = timezone.now() - datetime.timedelta(days=1)
    events = Event.objects.filter(ends_at__gte=since).order_by("starts_at", "pk")
    if not is_verified_staff(user):
        events = events.organised_by(user)
        if not events.exists():
            raise Http404
    past = Event.objects.filter(ends_at__lt=since).organised_by(user).order_by("-starts_at")[:10]
    return _no_store(render(request, "events/checkin/home.html", {"events": events, "past": past}))


# --- The check-in page -----------------------------------------------------------------------


@keeps_roles  # a scan gives or takes no role
@checkin_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HttpRequest, event: Event) -> HttpResponse:
    """Scan or type a code; the answer comes at once (an htmx partial, or the whole page)."""
    result = None
    if request.method == "POST":
        device = request.headers.get("User-Agent", "")[:100]
        result = check_in_attendee(
            event=event, code=request.POST.get("code", ""), by=request.user, device=device
        )
    checked_in, expected = checkin_counts(event)
    context = {
        "event": event,
        "result": result,
        "checked_in": checked_in,
        "expected": expected,
        "zone": event.zone,
    }
    template = "events/checkin/checkin.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#answer"
    return render(request, template, context)


# --- Who is checked in -----------------------------------------------------------------------


class ListFilter(forms.Form):
    STATES = (
        ("in", gettext_lazy("Checked in")),
        ("out", gettext_lazy("Not yet checked in")),
        ("all", gettext_lazy("Everyone expected")),
    )
    state = forms.ChoiceField(label=gettext_lazy("Show"), choices=STATES, required=False)
    q = forms.CharField(label=gettext_lazy("Name or code"), max_length=100, required=False)


@checkin_required
@require_safe
def checkin_list(request: HttpRequest, event: Event) -> HttpResponse:
    form = ListFilter(request.GET)
    state, query = "in", ""
    if form.is_valid():
        state = form.cleaned_data["state"] or "in"
        query = form.cleaned_data["q"].strip()
    attendees = expected_attendees(event).select_related("ticket", "order__member", "checked_in_by")
    if state == "in":
        attendees = attendees.filter(checked_in_at__isnull=False).order_by("-checked_in_at", "pk")
    else:
        if state == "out":
            attendees = attendees.filter(checked_in_at__isnull=True)
        attendees = attendees.order_by("last_name", "first_name", "pk")
    if query:
        from django.db.models import Q

        attendees = attendees.filter(
            Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(code=query.upper())
        )
    page = paginate(request, attendees, PAGE_SIZE)
    checked_in, expected = checkin_counts(event)
    context = {
        "event": event,
        "page": page,
        "form": form,
        "checked_in": checked_in,
        "expected": expected,
        "zone": event.zone,
    }
    return render(request, "events/checkin/list.html", context)


# --- The offline list and its merge ----------------------------------------------------------

OFFLINE_HEADER = (
    "code",
    "last_name",
    "first_name",
    "ticket",
    "role",
    "organisation",
    "checked_in_at",
)


def _offline_rows(event: Event) -> list[dict[str, str]]:
    attendees = (
        expected_attendees(event)
        .select_related("ticket", "order__member")
        .order_by("last_name", "first_name", "pk")
    )
    return [
        {
            "code": a.code,
            "last_name": a.last_name,
            "first_name": a.first_name,
            "ticket": a.ticket.name,
            "role": a.get_role_display(),
            "organisation": organisation(a),
            "checked_in_at": a.checked_in_at.astimezone(event.zone).isoformat(timespec="seconds")
            if a.checked_in_at
            else "",
        }
        for a in attendees
    ]


@checkin_required
@require_safe
def checkin_offline_csv(request: HttpRequest, event: Event) -> StreamingHttpResponse:
    """The expected attendees as CSV; fill `checked_in_at` and upload it to merge it."""
    rows = ([row[key] for key in OFFLINE_HEADER] for row in _offline_rows(event))
    response = StreamingHttpResponse(
        csv_lines(OFFLINE_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="checkin-{event.slug}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@checkin_required
@require_safe
def checkin_offline_html(request: HttpRequest, event: Event) -> HttpResponse:
    """A page that works without a connection: saved on a phone, it checks codes against the
    list it carries and keeps the scans in the browser's storage until they are exported."""
    context = {
        "event": event,
        "dates": event_dates(event),
        "people": _offline_rows(event),
        "generated": timezone.now().astimezone(event.zone).strftime("%Y-%m-%d %H:%M"),
        "storage_key": f"twinning-checkin-{event.slug}",
        "texts": {
            "ok": _("Checked in"),
            "already": _("Already checked in at"),
            "online": _("checked in online before this list was made"),
            "here": _("on this phone"),
            "unknown": _("Unknown code: not on this list."),
            "letters": _("Codes never contain 0, O, 1, I or L: check the letters."),
            "confirm": _("Clear every scan kept on this phone? Export them first."),
            "storage": _("This browser cannot keep the scans (private mode?): export often."),
        },
    }
    response = render(request, "events/checkin/offline.html", context)
    response["Content-Disposition"] = f'attachment; filename="checkin-{event.slug}.html"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class MergeForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Scans (CSV)"),
        help_text=gettext_lazy(
            "The file the offline page exports, or the list's CSV with check-in times filled in."
        ),
    )


@keeps_roles  # a scan gives or takes no role
@checkin_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin_merge(request: HttpRequest, event: Event) -> HttpResponse:
    form = MergeForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = merge_offline_scans(
                event=event, data=upload.read(2 * 1024 * 1024 + 1), by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
    context = {"event": event, "form": form, "report": report}
    return render(request, "events/checkin/merge.html", context)


# --- Badges ----------------------------------------------------------------------------------


class BadgeFilter(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)
    ticket = forms.TypedChoiceField(
        label=gettext_lazy("Ticket"), coerce=int, required=False, empty_value=None
    )
    paper = forms.ChoiceField(
        label=gettext_lazy("Paper"),
        choices=(("a4", "A4"), ("letter", gettext_lazy("US Letter"))),
        required=False,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role, ticket = self.fields["role"], self.fields["ticket"]
        assert isinstance(role, forms.ChoiceField) and isinstance(ticket, forms.ChoiceField)  # noqa: S101 (declared above)
        role.choices = [("", _("Every role")), *Attendee.Role.choices]
        ticket.choices = [
            ("", _("Every ticket")),
            *event.registration_event.tickets.values_list("pk", "name"),
        ]


def _staff_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("parent"), slug=slug)


@staff_required
@require_safe
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(slug)
    form = BadgeFilter(event=event)
    count = badge_attendees(event).count()
    return render(
        request, "events/checkin/badges.html", {"event": event, "form": form, "count": count}
    )


@staff_required
@require_safe
def badges_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(slug)
    form = BadgeFilter(request.GET, event=event)
    if not form.is_valid():
        return render(
            request,
            "events/checkin/badges.html",
            {"event": event, "form": form, "count": None},
            status=400,
        )
    data = form.cleaned_data
    attendees = badge_attendees(event, role=data["role"] or "", ticket=data["ticket"])
    pdf = badges_pdf(attendees, event=event, paper=data["paper"] or "a4")
    return _file(pdf, content_type="application/pdf", name=f"badges-{event.slug}.pdf")


# --- Tickets ---------------------------------------------------------------------------------


@login_required
@require_safe
def my_tickets(request: HttpRequest) -> HttpResponse:
    """The tickets the person may download: their own, their orders', their delegations'."""
    attendees = tickets_held_by(request.user).order_by(
        "-event__starts_at", "order__code", "last_name", "pk"
    )
    page = paginate(request, attendees, PAGE_SIZE)
    return _no_store(render(request, "events/checkin/my_tickets.html", {"page": page}))


@login_required
@require_safe
def ticket_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    attendee = get_object_or_404(tickets_visible_to(request.user), pk=pk)
    name = slugify(f"{attendee.event.slug}-{attendee.name}") or "ticket"
    return _file(ticket_pdf([attendee]), content_type="application/pdf", name=f"{name}.pdf")


@login_required
@require_safe
def order_tickets_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Every ticket of an order the person may download, one page each."""
    order = get_object_or_404(Order, code=code.upper()[:12])
    attendees = list(
        tickets_visible_to(request.user).filter(order=order).order_by("last_name", "pk")
    )
    if not attendees:
        raise Http404
    return _file(
        ticket_pdf(attendees), content_type="application/pdf", name=f"tickets-{order.code}.pdf"
    )
