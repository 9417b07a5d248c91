"""What a template tag needs to write a long table's rows in Python, one `format_html` a row
(grants' funding table and portfolio, the awards ranking): a page of 50 or 100 rows, each with
links and a form, cost several times the rest of the page when the template resolved them one
variable, one `{% url %}` and one `{% csrf_token %}` at a time. Here a URL is reversed once for
every row and the number format read once for the page."""

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

SENTINEL = 2_147_483_647  # an id no row has, replaced by each row's


def number_formatter() -> Callable[[int | Decimal], str]:
    """`localize` for numbers, with the active language's separators and grouping looked up
    once (as `django.utils.formats.number_format` does on every call)."""
    lang = get_language()
    decimal_sep = get_format("DECIMAL_SEPARATOR", lang)
    grouping = get_format("NUMBER_GROUPING", lang)
    thousand_sep = get_format("THOUSAND_SEPARATOR", lang)

    def number(value: int | Decimal) -> str:
        return numberformat.format(value, decimal_sep, None, grouping, thousand_sep, use_l10n=True)

    return number


def url_around(name: str, key: str = "pk", **kwargs: object) -> tuple[str, str]:
    """The URL of `name` for any row, as what comes before and after the row's `key` (the
    other URL arguments fixed by `kwargs`): the row's URL is `before + str(id) + after`."""
    before, after = reverse(name, kwargs={**kwargs, key: SENTINEL}).split(str(SENTINEL))
    return before, after
