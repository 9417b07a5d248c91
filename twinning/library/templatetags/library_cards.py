"""A resource's card in the library's search results, written in Python: `{% load
library_cards %}{% resource_cards page %}` (and the facets' links, `facet_links`). A page
shows 20 cards (and up to six featured ones); included as a template each, with its labels,
badges and topics resolved one variable at a time, they were about half of the search page's
time at 5,000 resources (bench/library.py). Here the resource URL is reversed once and the
labels translated once per page; every value is escaped as Django's `escape` does, and the
summary cut as `truncatewords:40` cuts it."""

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from twinning.core.rows import escape, url_around
from twinning.library.models import Resource
from twinning.library.search import Facet, Found

register = template.Library()

CARD = (
    '<article class="card section">\n'
    '  <h3 class="h3"><a href="{url}">{title}</a></h3>\n'
    '  <p class="small muted">{kind} · {language}{partner}\n'
    "    {badge}</p>\n"
    "  <p>{summary}</p>\n"
    "  {topics}\n"
    "</article>\n"
)


@register.simple_tag
def resource_cards(resources: Iterable[Found]) -> SafeString:
    """One card per search result (search.Found, with its `topic_list`): title
    linked to its page, kind, language, partner, a badge for members-only or staff-only
    resources, the summary's first 40 words and the topics."""
    before, after = url_around("library:resource_detail", key="slug")
    kinds = {value: escape(label) for value, label in Resource.Kind.choices}
    languages: dict[str, str] = {}
    badges = {
        "members": f'<span class="badge badge--muted">{escape(gettext("Members"))}</span>',
        "staff": f'<span class="badge badge--warn">{escape(gettext("Staff only"))}</span>',
    }
    with_partner = gettext("with %(partner)s")
    cards = []
    for resource in resources:
        if resource.language not in languages:
            languages[resource.language] = escape(resource.get_language_display())
        partner = (
            " · " + with_partner % {"partner": escape(resource.partner)} if resource.partner else ""
        )
        topics = resource.topic_list
        cards.append(
            CARD.format(
                url=escape(f"{before}{resource.slug}{after}"),
                title=escape(resource.title),
                kind=kinds.get(resource.kind, escape(resource.kind)),
                language=languages[resource.language],
                partner=partner,
                badge=badges.get(resource.access, ""),
                summary=escape(Truncator(resource.summary).words(40, truncate=" …")),
                topics=(
                    '<ul class="inline-list small">'
                    + "".join(f"<li>{escape(topic.name)}</li>" for topic in topics)
                    + "</ul>"
                    if topics
                    else ""
                ),
            )
        )
    return mark_safe("".join(cards))  # every value above is escaped


@register.simple_tag
def facet_links(facets: Iterable[Facet], name: str, query: str) -> SafeString:
    """One facet's choices, each a link narrowing the search `query` to it (`?q=...&name=value`)
    with its count, separated by " · ": what the page's loops wrote with `urlencode` (about a
    seventh of a search page's template, with the query's value read for every link)."""
    start = f"?q={quote(query)}&amp;{name}="
    return mark_safe(  # quote() leaves only URL-safe characters; the labels are escaped
        " · ".join(
            f'<a href="{start}{quote(facet.value)}">{escape(facet.label)}</a> ({facet.count})'
            for facet in facets
        )
    )
