"""Tickets and badges as PDF: a ticket per confirmed attendee (one page each, so an order's
tickets are one file) with a QR code of the attendee's check-in code, and printable badge
sheets (name, committee or organisation, country, role) with cut marks. Reads only: who may
have which ticket is `tickets_visible_to`; badges are for staff (the views decide).

Names are Unicode (core/pdf.py's fonts); times are shown in the event's own time zone."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

import qrcode
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from twinning.core.authz import is_verified_staff
from twinning.core.pdf import font_names
from twinning.events.models import Attendee, Event, Order
from twinning.events.services.checkin import shared_registration

PAPERS = {"a4": A4, "letter": LETTER}
BADGE_WIDTH, BADGE_HEIGHT = 90 * mm, 60 * mm
BADGE_COLUMNS, BADGE_ROWS = 2, 4
CUT_MARK = 4 * mm


def ticket_attendees() -> QuerySet[Attendee]:
    """Attendees who hold a ticket: confirmed, on a confirmed order (with what a ticket shows)."""
    return Attendee.objects.filter(
        state=Attendee.State.CONFIRMED, order__state=Order.State.CONFIRMED
    ).select_related("event", "ticket", "order", "order__member", "country", "community")


def tickets_visible_to(user: Any) -> QuerySet[Attendee]:
    """The tickets `user` may download: verified staff all; anyone else the attendee's own
    (their account), those of orders they bought, and those of their committee's delegations."""
    if is_verified_staff(user):
        return ticket_attendees()
    return tickets_held_by(user)


def tickets_held_by(user: Any) -> QuerySet[Attendee]:
    """The attendee's own tickets (their account), those of orders `user` bought, and those of
    the delegations of committees `user` administers."""
    if not getattr(user, "is_authenticated", False):
        return Attendee.objects.none()
    mine = Q(user=user) | Q(order__buyer=user)
    delegations = Q(order__is_delegation=True, order__member__admins=user)
    return ticket_attendees().filter(mine | delegations).distinct()


def qr_image(code: str) -> Any:
    """The QR code of a check-in code as a black-on-white PIL image (M error correction: a
    creased or smudged print still scans)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def event_dates(event: Event) -> str:
    """The event's start and end in its own zone, with the zone's name."""
    start, end = event.starts_at.astimezone(event.zone), event.ends_at.astimezone(event.zone)
    first = formats.date_format(start, "DATE_FORMAT") + ", " + start.strftime("%H:%M")
    if start.date() == end.date():
        last = end.strftime("%H:%M")
    else:
        last = formats.date_format(end, "DATE_FORMAT") + ", " + end.strftime("%H:%M")
    return f"{first} – {last} ({event.time_zone})"


def _fit(text: str, font: str, size: float, width: float, smallest: float = 7) -> float:
    """The largest size up to `size` at which `text` fits in `width`."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _clip(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` (a very long name at the smallest size)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _line(  # noqa: PLR0917 (a drawing call: canvas, text, position, font, size, width)
    canvas: Canvas, text: str, x: float, y: float, font: str, size: float, width: float
) -> None:
    size = _fit(text, font, size, width)
    canvas.setFont(font, size)
    canvas.drawString(x, y, _clip(text, font, size, width))


def organisation(attendee: Attendee) -> str:
    if attendee.organisation:
        return attendee.organisation
    member = attendee.order.member
    return member.name if member is not None else ""


def country(attendee: Attendee) -> str:
    if attendee.country is not None:
        return attendee.country.name
    if attendee.community is not None:
        return attendee.community.country.name
    return ""


def _ticket_page(canvas: Canvas, attendee: Attendee) -> None:
    regular, bold = font_names()
    event = attendee.event
    width, height = A4
    left, text_width = 20 * mm, width - 40 * mm
    y = height - 30 * mm
    _line(canvas, event.title, left, y, bold, 22, text_width)
    y -= 9 * mm
    _line(canvas, event_dates(event), left, y, regular, 11, text_width)
    y -= 6 * mm
    venue = event.venue_name or (_("Online") if event.online_url else "")
    if venue:
        _line(canvas, venue, left, y, regular, 11, text_width)
        y -= 5 * mm
    for address_line in (event.venue_address or "").splitlines()[:3]:
        _line(canvas, address_line, left, y, regular, 9, text_width)
        y -= 4.5 * mm
    canvas.setStrokeColor(colors.grey)
    canvas.line(left, y - 2 * mm, width - left, y - 2 * mm)
    y -= 16 * mm
    _line(canvas, attendee.name, left, y, bold, 26, text_width)
    y -= 9 * mm
    details = [attendee.ticket.name, attendee.get_role_display(), organisation(attendee)]
    _line(canvas, " · ".join(d for d in details if d), left, y, regular, 12, text_width)
    size = 70 * mm
    qr_y = y - 12 * mm - size
    canvas.drawImage(ImageReader(qr_image(attendee.code)), left, qr_y, size, size)
    canvas.setFont(bold, 18)
    canvas.drawString(left + size + 10 * mm, qr_y + size / 2, attendee.code)
    canvas.setFont(regular, 9)
    canvas.drawString(
        left + size + 10 * mm, qr_y + size / 2 - 6 * mm, _("Check-in code (show at the entrance)")
    )
    canvas.drawString(
        left + size + 10 * mm,
        qr_y + size / 2 - 11 * mm,
        _("Order %(code)s") % {"code": attendee.order.code},
    )
    canvas.showPage()


def _canvas(buffer: io.BytesIO, *, title: str, pagesize: Any = A4) -> Canvas:
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Twinning")
    canvas.setAuthor("")
    return canvas


def ticket_pdf(attendees: Sequence[Attendee]) -> bytes:
    """One A4 page per attendee's ticket (the caller passes confirmed attendees only)."""
    buffer = io.BytesIO()
    title = (
        _("Tickets") if len(attendees) != 1 else _("Ticket: %(name)s") % {"name": attendees[0].name}
    )
    canvas = _canvas(buffer, title=title)
    for attendee in attendees:
        _ticket_page(canvas, attendee)
    canvas.save()
    return buffer.getvalue()


# --- Badges ----------------------------------------------------------------------------------


def _cut_marks(canvas: Canvas, x: float, y: float) -> None:
    """Short lines outside each corner of the badge at (x, y), to cut along."""
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.3)
    for cx in (x, x + BADGE_WIDTH):
        for cy in (y, y + BADGE_HEIGHT):
            dx = -1 if cx == x else 1
            dy = -1 if cy == y else 1
            canvas.line(cx + dx * 1 * mm, cy, cx + dx * (1 * mm + CUT_MARK), cy)
            canvas.line(cx, cy + dy * 1 * mm, cx, cy + dy * (1 * mm + CUT_MARK))


def _badge(canvas: Canvas, attendee: Attendee, event: Event, x: float, y: float) -> None:
    regular, bold = font_names()
    pad = 6 * mm
    width = BADGE_WIDTH - 2 * pad
    top = y + BADGE_HEIGHT - pad
    canvas.setFillColor(colors.HexColor("#555555"))
    _line(canvas, event.title, x + pad, top - 3 * mm, regular, 8, width)
    canvas.setFillColor(colors.black)
    _line(canvas, attendee.first_name, x + pad, top - 16 * mm, bold, 24, width)
    _line(canvas, attendee.last_name, x + pad, top - 24 * mm, bold, 16, width)
    _line(canvas, organisation(attendee), x + pad, top - 32 * mm, regular, 11, width)
    _line(canvas, country(attendee), x + pad, top - 38 * mm, regular, 11, width)
    canvas.setFillColor(colors.HexColor("#1f4e79"))
    canvas.rect(x, y, BADGE_WIDTH, 9 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    role = attendee.get_role_display().upper()
    size = _fit(role, bold, 12, width)
    canvas.setFont(bold, size)
    canvas.drawCentredString(x + BADGE_WIDTH / 2, y + 3 * mm, role)
    canvas.setFillColor(colors.black)


def badges_pdf(attendees: Iterable[Attendee], *, event: Event, paper: str = "a4") -> bytes:
    """Badge sheets: BADGE_COLUMNS by BADGE_ROWS badges of 90 by 60 mm per page, centred on A4
    or US Letter, with cut marks at every corner."""
    pagesize = PAPERS.get(paper, A4)
    buffer = io.BytesIO()
    canvas = _canvas(
        buffer, title=_("Badges: %(event)s") % {"event": event.title}, pagesize=pagesize
    )
    per_page = BADGE_COLUMNS * BADGE_ROWS
    left = (pagesize[0] - BADGE_COLUMNS * BADGE_WIDTH) / 2
    bottom = (pagesize[1] - BADGE_ROWS * BADGE_HEIGHT) / 2
    count = 0
    for count, attendee in enumerate(attendees, start=1):
        slot = (count - 1) % per_page
        column, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
        x = left + column * BADGE_WIDTH
        y = bottom + (BADGE_ROWS - 1 - row) * BADGE_HEIGHT
        _badge(canvas, attendee, event, x, y)
        _cut_marks(canvas, x, y)
        if slot == per_page - 1:
            canvas.showPage()
    if count == 0 or count % per_page:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def badge_attendees(
    event: Event, *, role: str = "", ticket: int | None = None
) -> QuerySet[Attendee]:
    """The confirmed attendees of `event` (a part's: its parent's registration) whose badge is
    printed, by name; optionally of one role or one ticket."""
    attendees = (
        ticket_attendees()
        .filter(shared_registration(event))
        .order_by("last_name", "first_name", "pk")
    )
    if role:
        attendees = attendees.filter(role=role)
    if ticket:
        attendees = attendees.filter(ticket_id=ticket)
    return attendees.select_related("community__country")
