"""`{% ranking_rows %}` (review_tables) writes the engine's ranking rows exactly as the page's
template wrote them cell by cell: the same escaping, dashes, localized numbers, "(tie)",
`floatformat:3` and decision, in English and German; one "No items." row for an empty page."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.review.interface import RankedItem
from twinning.review.models import Decision, ReviewItem, Round

# The rows as the page's template wrote them before the tag (round_ranking.html).
TEMPLATE = engines["django"].from_string(
    """{% for row in page %}<tr><td>{{ row.group|default:"—" }}</td><td>{{ row.rank|default:"—" }}{% if row.tie %} <strong>{% translate "(tie)" %}</strong>{% endif %}</td><td><a href="{% url 'review:item_manage' pk=round.pk item_pk=row.item.pk %}"><code>{{ row.item.code }}</code></a></td><td>{{ row.item.title }}</td><td>{{ row.reviews }}</td><td>{{ row.raw_mean|default:"—" }}</td><td>{{ row.weighted_total|default:"—" }}</td><td>{% if row.normalised is not None %}{{ row.normalised|floatformat:3 }}{% else %}—{% endif %}</td><td>{{ row.decision.get_outcome_display|default:"" }}</td></tr>{% empty %}<tr><td colspan="9">{% translate "No items." %}</td></tr>{% endfor %}"""  # noqa: E501
)
TAG = engines["django"].from_string("{% load review_tables %}{% ranking_rows page round %}")

texts = st.text(alphabet=st.sampled_from(["a", "Z", "é", "<", ">", "&", '"', "'", " "]))
decimals = st.none() | st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)
rows = st.builds(
    lambda pk, group, code, title, reviews, raw, weighted, normalised, rank, tie, outcome: (
        RankedItem(
            item=ReviewItem(pk=pk, code=code, title=title),
            group=group,
            reviews=reviews,
            raw_mean=raw,
            weighted_total=weighted,
            normalised=normalised,
            rank=rank,
            tie=tie,
            decision=Decision(outcome=outcome) if outcome else None,
        )
    ),
    st.integers(1, 10**6),
    texts,
    texts,
    texts,
    st.integers(0, 2000),
    decimals,
    decimals,
    # z-score means; floatformat writes a float of over 200 digits (below 1e-100) as it is, a
    # guard against huge inputs, where the tag writes 0.000: such a mean is not met.
    st.none() | st.floats(-5, 5, allow_nan=False).filter(lambda x: x == 0 or abs(x) > 1e-100),
    st.none() | st.integers(1, 3000),
    st.booleans(),
    st.sampled_from(["", *Decision.Outcome.values]),
)


@pytest.mark.parametrize("language", ["en", "de"])
@settings(max_examples=60, deadline=None)
@given(page=st.lists(rows, max_size=5))
def test_ranking_rows_write_what_the_template_wrote(language, page):
    context = {"page": page, "round": Round(pk=7)}
    with translation.override(language):
        assert TAG.render(context) == TEMPLATE.render(context)


def test_an_empty_page_says_there_are_no_items():
    html = TAG.render({"page": [], "round": Round(pk=7)})

    assert html == '<tr><td colspan="9">No items.</td></tr>'


def test_a_row_escapes_its_title_and_marks_a_tie():
    row = RankedItem(
        item=ReviewItem(pk=3, code="A-1", title="<b>Bridges</b>"),
        group="",
        reviews=3,
        raw_mean=Decimal("4.50"),
        weighted_total=None,
        normalised=0.12345,
        rank=2,
        tie=True,
    )

    html = TAG.render({"page": [row], "round": Round(pk=7)})

    assert "&lt;b&gt;Bridges&lt;/b&gt;" in html
    assert "<td>2 <strong>(tie)</strong></td>" in html
    assert '<a href="/review/rounds/7/items/3/"><code>A-1</code></a>' in html
    assert "<td>0.123</td>" in html
