"""`{% role_nav %}`: the menus of the visitor's roles (twinning.core.navigation) at the top of
every page. Written here rather than through template loops: a staff visitor holds about forty
links, and the loops were a third of a signed-in page's floor (bench/events.py).

`{% site_nav %}`: the public menu of every page (base.html), its addresses reversed once per
script prefix rather than by twelve `{% url %}` tags on every page (a third of the layout's
time)."""

import functools
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    return _item(link.url, link.label, current=link.url == path)


def _item(url: Any, label: Any, *, current: bool) -> str:
    """One menu entry, marked as the page shown when it is."""
    mark = ' aria-current="page"' if current else ""
    return f'<li><a href="{escape(str(url))}"{mark}>{escape(str(label))}</a></li>'


# The public menu: the page it opens, the views on which it is the current page, its label.
SITE_NAV = [
    (
        "network:community_list",
        {"network:community_list", "network:community_detail"},
        _("Communities"),
    ),
    ("network:country_list", {"network:country_list", "network:country_detail"}, _("Countries")),
    ("network:map", {"network:map"}, _("Map")),
    ("network:stats", {"network:stats"}, _("Statistics")),
    (
        "showcase:edition_list",
        {"showcase:edition_list", "showcase:exhibit_edition", "showcase:exhibit_work"},
        _("Showcase"),
    ),
    ("awards:archive", {"awards:archive", "awards:winner"}, _("Awards")),
    (
        "events:event_list",
        {"events:event_list", "events:event_detail", "events:timetable"},
        _("Events"),
    ),
    ("grants:funded_list", {"grants:funded_list", "grants:call_detail"}, _("Funding")),
    (
        "library:resource_list",
        {"library:resource_list", "library:resource_detail", "library:version_detail"},
        _("Library"),
    ),
    ("relief:appeal_list", {"relief:appeal_list", "relief:appeal_detail"}, _("Relief")),
    ("activities:impact", {"activities:impact"}, _("Impact")),
    ("matchmaking:seeking_list", {"matchmaking:seeking_list"}, _("Seeking partners")),
]
FALLBACK = {"network:map": "/map/"}  # the map's address when its view is not installed


@functools.lru_cache(maxsize=8)
def _site_urls(prefix: str, urlconf: str) -> tuple[str, ...]:
    """The menu's addresses under a script prefix and URL configuration (the same for every
    request under them)."""
    urls = []
    for name, _current, _label in SITE_NAV:
        try:
            urls.append(reverse(name, urlconf=urlconf))
        except NoReverseMatch:
            urls.append(FALLBACK[name])
    return tuple(urls)


@register.simple_tag(takes_context=True)
def site_nav(context: template.Context) -> SafeString:
    match = getattr(context.get("request"), "resolver_match", None)
    current = getattr(match, "view_name", None)
    urls = _site_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    links = (
        _item(url, label, current=current in views)
        for url, (_name, views, label) in zip(urls, SITE_NAV, strict=True)
    )
    return mark_safe("\n".join(links))  # every value is escaped by _item
