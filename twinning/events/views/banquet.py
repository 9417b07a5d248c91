"""Staff pages of the awards banquet: the banquet page (tables with their guests and why each
sits there, the unseated, automatic seating), moving or swapping guests without dragging,
honorees in presentation order, the run of show, and what is printed: the seating chart, the
alphabetical "find your table" list, the run of show and the place cards (PDF tent cards).

Every view is `staff_required` (verified staff); a slug that names no banquet answers 404.
Forms live here: they exist for these pages only."""

import io
import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.core.pdf import font_names, stylesheet
from twinning.events.models import (
    Attendee,
    BanquetTable,
    Event,
    Honoree,
    RunOfShowItem,
    SeatAssignment,
    guests_of,
)
from twinning.events.services.banquet import (
    add_honoree,
    add_presentations,
    add_run_of_show_item,
    add_tables,
    move_guest,
    move_honoree,
    move_run_of_show_item,
    remove_honoree,
    remove_run_of_show_item,
    remove_table,
    seat_guests,
    swap_guests,
    unseat_guest,
    update_table,
)
from twinning.network.models import Member

# --- Forms ----------------------------------------------------------------------------------


class GuestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Attendee) -> str:
        member = obj.order.member
        party = member.name if member is not None else obj.organisation
        return f"{obj.last_name}, {obj.first_name}" + (f" ({party})" if party else "")


def _queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


def _guests(event: Event) -> QuerySet[Attendee]:
    return (
        guests_of(event).select_related("order__member").order_by("last_name", "first_name", "pk")
    )


class TablesForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("How many tables"), min_value=1, max_value=100)
    seats = forms.IntegerField(label=gettext_lazy("Seats at each"), min_value=1, max_value=40)
    stage_rank = forms.IntegerField(
        label=gettext_lazy("Distance from the stage"),
        min_value=0,
        max_value=50,
        initial=1,
        help_text=gettext_lazy("0 for the tables at the stage, 1 for the next row, and so on."),
    )


class TableForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (optional)"), max_length=100, required=False)
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=40)
    stage_rank = forms.IntegerField(
        label=gettext_lazy("Distance from the stage"), min_value=0, max_value=50
    )


class MoveForm(forms.Form):
    attendee = GuestChoiceField(label=gettext_lazy("Guest"), queryset=Attendee.objects.none())
    table = forms.ModelChoiceField(
        label=gettext_lazy("Table"), queryset=BanquetTable.objects.none()
    )
    seat = forms.IntegerField(
        label=gettext_lazy("Seat (optional)"),
        min_value=1,
        max_value=40,
        required=False,
        help_text=gettext_lazy("Leave empty for the first free seat."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "attendee", _guests(event))
        _queryset(self, "table", event.banquet_tables.order_by("number"))


class SwapForm(forms.Form):
    first = GuestChoiceField(label=gettext_lazy("First guest"), queryset=Attendee.objects.none())
    second = GuestChoiceField(label=gettext_lazy("Second guest"), queryset=Attendee.objects.none())

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "first", _guests(event))
        _queryset(self, "second", _guests(event))


class HonoreeForm(forms.Form):
    honour = forms.CharField(
        label=gettext_lazy("Honour"),
        max_length=300,
        help_text=gettext_lazy("For example: Best Overall Program, 100,001-300,000"),
    )
    name = forms.CharField(
        label=gettext_lazy("Name shown"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to show the guest's name."),
    )
    attendee = GuestChoiceField(
        label=gettext_lazy("Guest (optional)"), queryset=Attendee.objects.none(), required=False
    )
    member = forms.ModelChoiceField(
        label=gettext_lazy("Committee (optional)"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "attendee", _guests(event))
        _queryset(self, "member", Member.objects.order_by("name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and not data.get("attendee"):
            raise ValidationError(_("Give the name to show, or choose the guest."))
        return data


class RunOfShowForm(forms.Form):
    starts_at = forms.TimeField(
        label=gettext_lazy("Time (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RunOfShowItem.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    honoree = forms.ModelChoiceField(
        label=gettext_lazy("Honoree (award presentations)"),
        queryset=Honoree.objects.none(),
        required=False,
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "honoree", event.honorees.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title") and not data.get("honoree"):
            self.add_error("title", _("Give the moment a title."))
        return data


class DirectionForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


# --- Helpers --------------------------------------------------------------------------------


def _banquet(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("parent"), slug=slug, kind=Event.Kind.BANQUET
    )


def _back(event: Event, name: str = "events:banquet") -> HttpResponse:
    return redirect(name, slug=event.slug)


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _tables_with_guests(event: Event) -> list[dict[str, Any]]:
    """Each table with its seats in order (two queries, whatever the number of guests)."""
    tables = list(event.banquet_tables.order_by("number"))
    seats: dict[int, list[SeatAssignment]] = {t.pk: [] for t in tables}
    for assignment in SeatAssignment.objects.filter(event=event).for_chart():
        seats[assignment.table_id].append(assignment)
    return [{"table": t, "seats": seats[t.pk], "free": t.seats - len(seats[t.pk])} for t in tables]


def _alphabetical(text: str) -> str:
    """A sort key for names as readers alphabetise them (accents after the letter they mark)."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _party(attendee: Attendee) -> str:
    member = attendee.order.member
    return member.name if member is not None else attendee.organisation


# --- The banquet page -----------------------------------------------------------------------


@staff_required
@require_safe
def banquet(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    tables = _tables_with_guests(event)
    unseated = _guests(event).exclude(banquet_seats__event=event)
    guests = guests_of(event).count()
    seats = sum(t["table"].seats for t in tables)
    context = {
        "event": event,
        "tables": tables,
        "unseated": unseated,
        "guests": guests,
        "seated": sum(len(t["seats"]) for t in tables),
        "seats": seats,
        "honorees": event.honorees.count(),
        "tables_form": TablesForm(),
    }
    return render(request, "events/banquet/banquet.html", context)


@staff_required
@require_POST
def banquet_tables_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    form = TablesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how many tables, with how many seats (1 to 40)."))
        return _back(event)
    try:
        added = add_tables(event=event, **form.cleaned_data, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(count)d tables added.") % {"count": len(added)})
    return _back(event)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def banquet_table(request: HttpRequest, slug: str, table: int) -> HttpResponse:
    event = _banquet(slug)
    table_obj = get_object_or_404(BanquetTable, event=event, pk=table)
    initial = {"name": table_obj.name, "seats": table_obj.seats, "stage_rank": table_obj.stage_rank}
    form = TableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_table(table=table_obj, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(table)s is saved.") % {"table": table_obj.label})
            return _back(event)
    return render(
        request,
        "events/banquet/table_form.html",
        {"event": event, "table": table_obj, "form": form},
    )


@staff_required
@require_POST
def banquet_table_remove(request: HttpRequest, slug: str, table: int) -> HttpResponse:
    event = _banquet(slug)
    table_obj = get_object_or_404(BanquetTable, event=event, pk=table)
    try:
        remove_table(table=table_obj, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(table)s is removed.") % {"table": table_obj.label})
    return _back(event)


@staff_required
@require_POST
def banquet_seat(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    try:
        plan = seat_guests(event=event, by=request.user)
    except ValidationError as error:
        _error(request, error)
        return _back(event)
    unseated = sum(1 for p in plan if p.table is None)
    if unseated:
        messages.warning(
            request,
            _("Guests seated; %(count)d found no seat: add tables or seats.") % {"count": unseated},
        )
    else:
        messages.success(request, _("Every guest is seated. Seats given by hand were kept."))
    return _back(event)


# --- Moving people --------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def banquet_move(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    initial = (
        {"attendee": request.GET.get("guest")} if request.GET.get("guest", "").isdigit() else {}
    )
    form = MoveForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = move_guest(event=event, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now sits at %(table)s, seat %(seat)d.")
                % {
                    "name": assignment.attendee.name,
                    "table": assignment.table.label,
                    "seat": assignment.seat,
                },
            )
            return _back(event)
    context = {
        "event": event,
        "form": form,
        "swap_form": SwapForm(event=event, initial={"first": initial.get("attendee")}),
        "tables": _tables_with_guests(event),
    }
    return render(request, "events/banquet/move.html", context)


@staff_required
@require_POST
def banquet_swap(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    form = SwapForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose the two guests to swap."))
        return _back(event, "events:banquet_move")
    try:
        swap_guests(event=event, **form.cleaned_data, by=request.user)
    except ValidationError as error:
        _error(request, error)
        return _back(event, "events:banquet_move")
    messages.success(
        request,
        _("%(first)s and %(second)s have swapped seats.")
        % {"first": form.cleaned_data["first"].name, "second": form.cleaned_data["second"].name},
    )
    return _back(event)


@staff_required
@require_POST
def banquet_unseat(request: HttpRequest, slug: str, attendee: int) -> HttpResponse:
    event = _banquet(slug)
    guest = get_object_or_404(guests_of(event), pk=attendee)
    try:
        unseat_guest(event=event, attendee=guest, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(name)s no longer has a seat.") % {"name": guest.name})
    return _back(event)


# --- Honorees -------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def banquet_honorees(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    form = HonoreeForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            honoree = add_honoree(event=event, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is added to the honorees.") % {"name": honoree.name}
            )
            return _back(event, "events:banquet_honorees")
    honorees = event.honorees.select_related("attendee", "member").annotate(
        seated=Count("attendee__banquet_seats")
    )
    return render(
        request,
        "events/banquet/honorees.html",
        {"event": event, "honorees": honorees, "form": form},
    )


def _move(request: HttpRequest, move: Callable[[str], bool], at_end: str) -> None:
    """Move one row of an ordered list up or down (the posted direction) with `move`, which
    answers False when the row is already at that end; the message says so."""
    form = DirectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move up or down."))
    elif not move(form.cleaned_data["direction"]):
        messages.info(request, at_end)


@staff_required
@require_POST
def banquet_honoree_move(request: HttpRequest, slug: str, honoree: int) -> HttpResponse:
    event = _banquet(slug)
    honoree_obj = get_object_or_404(Honoree, event=event, pk=honoree)
    at_end = _("%(name)s is already at that end.") % {"name": honoree_obj.name}
    _move(
        request, lambda d: move_honoree(honoree=honoree_obj, direction=d, by=request.user), at_end
    )
    return _back(event, "events:banquet_honorees")


@staff_required
@require_POST
def banquet_honoree_remove(request: HttpRequest, slug: str, honoree: int) -> HttpResponse:
    event = _banquet(slug)
    honoree_obj = get_object_or_404(Honoree, event=event, pk=honoree)
    remove_honoree(honoree=honoree_obj, by=request.user)
    messages.success(
        request, _("%(name)s is removed from the honorees.") % {"name": honoree_obj.name}
    )
    return _back(event, "events:banquet_honorees")


# --- The run of show ------------------------------------------------------------------------


def _run_of_show(event: Event) -> QuerySet[RunOfShowItem]:
    return event.run_of_show.select_related("honoree", "honoree__member").order_by("position", "pk")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def banquet_run_of_show(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    form = RunOfShowForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            add_run_of_show_item(event=event, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The moment is added at the end of the run of show."))
            return _back(event, "events:banquet_run_of_show")
    context = {"event": event, "items": _run_of_show(event), "form": form}
    return render(request, "events/banquet/run_of_show.html", context)


@staff_required
@require_POST
def banquet_run_of_show_move(request: HttpRequest, slug: str, item: int) -> HttpResponse:
    event = _banquet(slug)
    item_obj = get_object_or_404(RunOfShowItem, event=event, pk=item)
    at_end = _("“%(title)s” is already at that end.") % {"title": item_obj.title}
    _move(
        request,
        lambda d: move_run_of_show_item(item=item_obj, direction=d, by=request.user),
        at_end,
    )
    return _back(event, "events:banquet_run_of_show")


@staff_required
@require_POST
def banquet_run_of_show_remove(request: HttpRequest, slug: str, item: int) -> HttpResponse:
    event = _banquet(slug)
    item_obj = get_object_or_404(RunOfShowItem, event=event, pk=item)
    remove_run_of_show_item(item=item_obj, by=request.user)
    messages.success(request, _("“%(title)s” is removed.") % {"title": item_obj.title})
    return _back(event, "events:banquet_run_of_show")


@staff_required
@require_POST
def banquet_presentations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    try:
        added = add_presentations(event=event, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        if added:
            messages.success(
                request, _("%(count)d award presentations added.") % {"count": len(added)}
            )
        else:
            messages.info(request, _("Every honoree already has a presentation."))
    return _back(event, "events:banquet_run_of_show")


# --- What is printed ------------------------------------------------------------------------


@staff_required
@require_safe
def banquet_run_of_show_print(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    return render(
        request,
        "events/banquet/run_of_show_print.html",
        {"event": event, "items": _run_of_show(event)},
    )


@staff_required
@require_safe
def banquet_chart(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    return render(
        request, "events/banquet/chart.html", {"event": event, "tables": _tables_with_guests(event)}
    )


@staff_required
@require_safe
def banquet_find_table(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    # Sorted here, not by the database: "Ağaoğlu" comes before "Alvarez" for a reader.
    seats = sorted(
        SeatAssignment.objects.filter(event=event).for_chart(),
        key=lambda s: (
            _alphabetical(s.attendee.last_name),
            _alphabetical(s.attendee.first_name),
            s.attendee_id,
        ),
    )
    return render(request, "events/banquet/find_table.html", {"event": event, "seats": seats})


def seating_chart_pdf(event: Event, tables: list[dict[str, Any]]) -> bytes:
    """The seating chart on A4: each table with its guests by seat, a table never split over
    two pages. Names in the platform's Unicode font."""
    styles = stylesheet()
    buffer = io.BytesIO()
    title = _("Seating chart: %(event)s") % {"event": event.title}
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=event.title)
    story: list[Any] = [Paragraph(escape(title), styles["Title"])]
    for row in tables:
        block: list[Any] = [Paragraph(escape(str(row["table"].label)), styles["Heading2"])]
        block += [
            Paragraph(
                escape(f"{s.seat}. {s.attendee.name}")
                + (f" · {escape(party)}" if (party := _party(s.attendee)) else ""),
                styles["BodyText"],
            )
            for s in row["seats"]
        ] or [Paragraph(escape(_("Nobody sits here yet.")), styles["BodyText"])]
        story += [KeepTogether(block), Spacer(1, 8)]
    document.build(story)
    return buffer.getvalue()


@staff_required
@require_safe
def banquet_chart_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    response = HttpResponse(
        seating_chart_pdf(event, _tables_with_guests(event)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="seating-chart-{event.slug}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


INK = HexColor("#1f2a44")
MUTED = HexColor("#6b7280")


def _fit(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> None:
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    pdf.setFont(font, size)


def place_cards_pdf(event: Event, seats: list[SeatAssignment]) -> bytes:
    """Folded tent cards, two to an A4 page: each card is half a page, folded along its middle;
    the name, party and table are printed on both faces (the upper one upside down, so it
    reads from across the table). Names in the platform's Unicode font."""
    regular, bold = font_names()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(_("Place cards: %(event)s") % {"event": event.title})
    pdf.setAuthor(event.title)
    card = height / 2
    if not seats:
        pdf.setFont(regular, 14)
        pdf.drawCentredString(width / 2, height / 2, _("No guest is seated yet."))
    for index, assignment in enumerate(seats):
        slot = index % 2
        if index and slot == 0:
            pdf.showPage()
        bottom = height - card * (slot + 1)
        pdf.setStrokeColor(MUTED)
        pdf.setDash(2, 3)
        pdf.line(20, bottom + card / 2, width - 20, bottom + card / 2)  # fold
        pdf.setDash(6, 4)
        if slot == 0:
            pdf.line(0, bottom, width, bottom)  # cut between the two cards
        pdf.setDash()
        lines = (
            assignment.attendee.name,
            _party(assignment.attendee),
            _("%(table)s · seat %(seat)d")
            % {"table": assignment.table.label, "seat": assignment.seat},
        )
        for upside_down in (False, True):
            pdf.saveState()
            if upside_down:
                # The upper face: turned half a circle about its own centre.
                pdf.translate(width / 2, bottom + card * 3 / 4)
                pdf.rotate(180)
                pdf.translate(-width / 2, -(bottom + card / 4))
            centre = bottom + card / 4
            pdf.setFillColor(INK)
            _fit(pdf, lines[0], bold, 34, width - 80)
            pdf.drawCentredString(width / 2, centre + 10, lines[0])
            pdf.setFillColor(MUTED)
            if lines[1]:
                _fit(pdf, lines[1], regular, 16, width - 80)
                pdf.drawCentredString(width / 2, centre - 20, lines[1])
            _fit(pdf, lines[2], regular, 12, width - 80)
            pdf.drawCentredString(width / 2, centre - 44, lines[2])
            pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@staff_required
@require_safe
def banquet_place_cards(request: HttpRequest, slug: str) -> HttpResponse:
    event = _banquet(slug)
    seats = list(SeatAssignment.objects.filter(event=event).for_chart())
    response = HttpResponse(place_cards_pdf(event, seats), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="place-cards-{event.slug}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
