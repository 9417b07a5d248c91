"""`{% resource_cards %}` (library_cards) writes the search results' cards as the included
template `library/_resource_card.html` wrote them: the same escaping, labels, partner, badges,
summary cut at 40 words and topics, in English and German (whitespace between tags aside);
`{% facet_links %}` writes the facets' links as the page's loops wrote them."""

import re

import pytest
from django.template import engines
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.library.models import Resource, Topic
from twinning.library.search import Facet

# The card as the included template wrote it before the tag.
CARD = engines["django"].from_string(
    """{% for resource in page %}<article class="card section">
  <h3 class="h3"><a href="{{ resource.get_absolute_url }}">{{ resource.title }}</a></h3>
  <p class="small muted">{{ resource.get_kind_display }} · {{ resource.get_language_display }}{% if resource.partner %} · {% blocktranslate with partner=resource.partner %}with {{ partner }}{% endblocktranslate %}{% endif %}
    {% if resource.access == "members" %}<span class="badge badge--muted">{% translate "Members" %}</span>{% elif resource.access == "staff" %}<span class="badge badge--warn">{% translate "Staff only" %}</span>{% endif %}</p>
  <p>{{ resource.summary|truncatewords:40 }}</p>
  {% if resource.topic_list %}<ul class="inline-list small">{% for topic in resource.topic_list %}<li>{{ topic.name }}</li>{% endfor %}</ul>{% endif %}
</article>{% endfor %}"""  # noqa: E501
)
TAG = engines["django"].from_string("{% load library_cards %}{% resource_cards page %}")

texts = st.text(alphabet=st.sampled_from(["a", "Z", "é", "<", ">", "&", '"', "'", " ", "\n"]))


def _resource(topics=(), **fields):
    resource = Resource(**fields)
    resource.topic_list = [Topic(name=name) for name in topics]
    return resource


resources = st.builds(
    _resource,
    slug=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    title=texts,
    summary=st.lists(texts, max_size=60).map(" ".join),
    kind=st.sampled_from(Resource.Kind.values),
    access=st.sampled_from(Resource.Access.values),
    language=st.sampled_from(["en", "fr", "es", "de"]),
    partner=texts,
    topics=st.lists(texts, max_size=3),
)


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "de"])
@settings(max_examples=60, deadline=None)
@given(page=st.lists(resources, max_size=4))
def test_resource_cards_write_what_the_card_template_wrote(language, page):
    with translation.override(language):
        assert _tags(TAG.render({"page": page})) == _tags(CARD.render({"page": page}))


def test_a_card_escapes_its_title_and_shows_the_staff_badge():
    card = _resource(
        slug="guide",
        title="<i>Guide</i>",
        summary="A guide.",
        kind="document",
        access="staff",
        language="fr",
        partner="",
    )

    html = TAG.render({"page": [card]})

    assert '<a href="/library/guide/">&lt;i&gt;Guide&lt;/i&gt;</a>' in html
    assert "Document · French" in html
    assert '<span class="badge badge--warn">Staff only</span>' in html


# A facet's links as the page's loop wrote them before the tag (`urlencode` on the topics'
# values; the languages' and kinds' values, codes, written as they are).
FACETS = engines["django"].from_string(
    """{% for facet in facets %}<a href="?q={{ query|default:''|urlencode }}&amp;{{ name }}={% if encode %}{{ facet.value|urlencode }}{% else %}{{ facet.value }}{% endif %}">{{ facet.label }}</a> ({{ facet.count }}){% if not forloop.last %} · {% endif %}{% endfor %}"""  # noqa: E501
)
FACET_TAG = engines["django"].from_string(
    "{% load library_cards %}{% facet_links facets name query %}"
)
words = st.text(alphabet=st.sampled_from(["a", "é", "<", "&", '"', "'", " ", "/", "?", "%", "#"]))
facets = st.lists(st.builds(Facet, value=words, label=words, count=st.integers(0, 100)), max_size=5)
codes = st.lists(
    st.builds(
        Facet,
        value=st.from_regex(r"[a-z]{2,10}", fullmatch=True),
        label=words,
        count=st.integers(0, 100),
    ),
    max_size=5,
)


@settings(max_examples=80, deadline=None)
@given(topics=facets, others=codes, query=words)
def test_facet_links_write_what_the_page_loops_wrote(topics, others, query):
    for name, chosen, encode in (("topic", topics, True), ("language", others, False)):
        context = {"facets": chosen, "name": name, "query": query, "encode": encode}
        assert FACET_TAG.render(context) == FACETS.render(context)
