"""The badge of a registration's or a waiting-list entry's state, as a filter: `{% load
events_badges %}<span class="badge{{ a.state|state_badge }}">{{ a.get_state_display }}</span>`.
A filter rather than an included template: the staff registration list shows one per row."""

from django import template

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
