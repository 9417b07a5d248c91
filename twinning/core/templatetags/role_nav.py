"""`{% role_nav %}`: the menus of the visitor's roles (twinning.core.navigation) at the top of
every page. Written here rather than through template loops: a staff visitor holds about forty
links, and the loops were a third of a signed-in page's floor (bench/events.py)."""

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

WIDE = 8  # more links than this are laid out in columns


@register.simple_tag(takes_context=True)
def role_nav(context: template.Context) -> SafeString:
    menus = context.get("role_menus")
    if not menus:
        return mark_safe("")
    request = context.get("request")
    path = getattr(request, "path", None)
    parts = [
        f'<nav class="role-nav" aria-label="{escape(gettext("Your pages"))}">'
        '<ul class="role-nav__menus">'
    ]
    for menu in menus:
        wide = ' class="role-nav__list--wide"' if len(menu.links) > WIDE else ""
        parts.append(
            '<li class="role-nav__menu"><details data-role-menu>'
            f"<summary>{escape(str(menu.label))}</summary>"
            f"<ul{wide}>"
        )
        parts.extend(_link(link, path) for link in menu.links)
        parts.append("</ul></details></li>")
    parts.append("</ul></nav>")
    return mark_safe("".join(parts))  # every value above is escaped


def _link(link: Any, path: str | None) -> str:
    current = ' aria-current="page"' if link.url == path else ""
    return f'<li><a href="{escape(str(link.url))}"{current}>{escape(str(link.label))}</a></li>'
