"""`{% resource_cards %}` (library_cards) writes the search results' cards as the included
template `library/_resource_card.html` wrote them: the same escaping, labels, partner, badges,
summary cut at 40 words and topics, in English and German (whitespace between tags aside)."""

import re

import pytest
from django.template import engines
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.library.models import Resource, Topic

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
