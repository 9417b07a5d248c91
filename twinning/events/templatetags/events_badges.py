"""The badge of a registration's or a waiting-list entry's state, as a filter: `{% load
events_badges %}<span class="badge{{ a.state|state_badge }}">{{ a.get_state_display }}</span>`.
A filter rather than an included template: the staff registration list shows one per row.
`{% registration_cells row event.currency %}` writes that list's cells for one row."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

BADGES = {
    "confirmed": " badge--ok",
    "applied": " badge--warn",
    "approved": " badge--warn",
    "offered": " badge--warn",
    "waiting": " badge--warn",
    "declined": " badge--muted",
    "cancelled": " badge--muted",
    "expired": " badge--muted",
    "removed": " badge--muted",
}


@register.filter(is_safe=True)
def state_badge(state: str) -> str:
    """The badge's modifier class (with its leading space) for a state; none for others."""
    return BADGES.get(str(state), "")


# One staff-list row's cells but the decision, written with format_html: the list shows 50
# rows of nine values each, and resolving them one template variable at a time was about a
# third of the page's time at 10,000 registrations (bench/events.py). Every value is escaped.
ROW_CELLS = (
    '<th scope="row">{} {}<br><span class="muted small">{}</span></th>'
    '<td>{}<br><span class="small">{} {}</span></td><td>{}</td><td>{}</td>'
    '<td><span class="badge{}">{}</span></td>'
)


@register.simple_tag
def registration_cells(row: dict[str, Any], currency: str) -> SafeString:
    """The name, ticket, committee, order and state cells of a staff registration list row
    (`row` is one of the list's value rows, with its `state_label`)."""
    return format_html(
        ROW_CELLS,
        row["first_name"],
        row["last_name"],
        row["email"],
        row["ticket__name"],
        row["price"],
        currency,
        row["order__member__name"] or "",
        row["order__code"],
        BADGES.get(row["state"], ""),
        row["state_label"],
    )
