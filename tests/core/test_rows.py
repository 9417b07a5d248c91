"""core.rows: the helpers that write long tables' rows in Python give what Django's template
filters give."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.html import format_html
from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.core.rows import fill_once, score_formatter

LANGUAGES = ["en", "fr", "es", "de"]


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(
    value=st.floats(min_value=-10_000, max_value=10_000, allow_nan=False).map(lambda x: round(x, 9))
)
def test_a_score_is_written_as_floatformat_writes_it(language, value):
    # Scores to nine places (floatformat returns a number of over 200 digits, such as 1e-186,
    # as it came: a guard of its own that no score reaches).
    with translation.override(language):
        assert score_formatter(2)(value) == floatformat(value, 2)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "value", [0, -0.0, -0.004, 0.005, 2.675, 1.005, -1.005, 12345.678, Decimal("3.14159"), 7]
)
def test_the_edge_cases_of_rounding_and_sign_match_floatformat(language, value):
    with translation.override(language):
        assert score_formatter(2)(value) == floatformat(value, 2)


def test_a_score_takes_the_decimal_separator_of_the_language():
    with translation.override("fr"):
        assert score_formatter(2)(1.5) == "1,50"
    with translation.override("en"):
        assert score_formatter(2)(1.5) == "1.50"


def test_a_template_filled_once_writes_what_format_html_writes():
    template = '<label for="x-{id}">{label}</label><input value="{value}">{token}'
    fixed = {"label": "Amount <b>{id}</b> & more", "token": "{}"}

    filled = fill_once(template, **fixed)

    assert format_html(filled, id="7", value='"quoted"') == format_html(
        template, id="7", value='"quoted"', **fixed
    )
