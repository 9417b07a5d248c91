"""URL building for long lists: reverse() a named route once per process with placeholder
arguments, then fill in the (quoted) values. A directory page links every row to two detail
pages, and reverse() per link was a large share of its rendering time."""

from functools import cache
from urllib.parse import quote

from django.urls import reverse

_PLACEHOLDER = "zz0placeholder0zz"  # matches the slug and str converters


@cache
def _template(viewname: str, keys: tuple[str, ...]) -> str:
    url = reverse(viewname, kwargs={key: f"{_PLACEHOLDER}{i}" for i, key in enumerate(keys)})
    for i, _key in enumerate(keys):
        url = url.replace(f"{_PLACEHOLDER}{i}", "{%d}" % i)  # noqa: UP031 -- builds a format string
    return url


def cached_reverse(viewname: str, **kwargs: str) -> str:
    """reverse(viewname, kwargs=kwargs) for routes whose arguments are plain strings (slugs,
    codes); the same result, at the cost of a string format."""
    keys = tuple(sorted(kwargs))
    values = [quote(str(kwargs[key]), safe="!$&'()*+,;=~:@") for key in keys]
    return _template(viewname, keys).format(*values)
