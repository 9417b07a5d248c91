"""The badge of a registration's or a waiting-list entry's state, as a filter: `{% load
events_badges %}<span class="badge{{ a.state|state_badge }}">{{ a.get_state_display }}</span>`.
A filter rather than an included template: the staff registration list shows one per row.
`{% registration_cells row event.currency %}` writes that list's cells for one row, and
`{% decision_cell row %}` its last cell: the decision form of an application."""

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from twinning.core.rows import url_around

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


# The decision form of an application in the staff list. Its three addresses and five labels
# are the same on every row but for the attendee's id: they are worked out once per page
# (below) instead of three {% url %} and five {% translate %} per row (bench/events.py).
DECISION_FORM = (
    '<form method="post" action="{approve}" class="inline-form">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<label class="visually-hidden" for="m-{pk}">{message}</label>'
    '<input id="m-{pk}" name="message" maxlength="2000" placeholder="{placeholder}">\n'
    '<button type="submit" class="button button--small">{approve_label}</button>\n'
    '<button type="submit" class="button button--small button--secondary" '
    'formaction="{waitlist}">{waitlist_label}</button>\n'
    '<button type="submit" class="button button--small button--danger" '
    'formaction="{decline}">{decline_label}</button></form>'
)


def _decision_parts(context: template.Context) -> dict[str, str]:
    """The page's addresses (before and after the row's id) and labels, escaped, made on first
    use."""
    parts = context.render_context.get("decision_parts")
    if parts is None:
        parts = {}
        for decision in ("approve", "waitlist", "decline"):
            before, after = url_around("events:staff_attendee_decide", decision=decision)
            parts[f"{decision}_before"], parts[f"{decision}_after"] = escape(before), escape(after)
        parts |= {
            "csrf": escape(get_token(context["request"])),
            "message": escape(gettext("Message to the person")),
            "placeholder": escape(gettext("Message (needed to decline)")),
            "approve_label": escape(gettext("Approve")),
            "waitlist_label": escape(gettext("Waiting list")),
            "decline_label": escape(gettext("Decline")),
        }
        context.render_context["decision_parts"] = parts
    return parts


@register.simple_tag(takes_context=True)
def decision_cell(context: template.Context, row: dict[str, Any]) -> SafeString:
    """The form that approves, wait-lists or declines an application (a row in the "applied"
    state); nothing for a row in any other state."""
    if row["state"] != "applied":
        return mark_safe("")
    parts = _decision_parts(context)
    pk = str(int(row["pk"]))
    urls = {
        d: f"{parts[f'{d}_before']}{pk}{parts[f'{d}_after']}"
        for d in ("approve", "waitlist", "decline")
    }
    return mark_safe(DECISION_FORM.format(pk=pk, **(parts | urls)))  # every part escaped above
