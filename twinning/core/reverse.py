"""URL building, the one copy every app uses.

- `absolute_url(path)`: a link for an e-mail, a PDF or a webhook, on `settings.SITE_URL`,
  keeping SITE_URL's own path when the site lives under one (https://x.org/twinning).
- `cached_reverse`: for long lists, reverse() a named route once per process with placeholder
  arguments, then fill in the (quoted) values. A directory page links every row to two detail
  pages, and reverse() per link was a large share of its rendering time."""

from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, reverse


def absolute_url(path: str) -> str:
    """`path` (what reverse() or get_absolute_url() gave) as an absolute URL on SITE_URL.

    SITE_URL's path prefix is kept (urljoin would drop it for a path starting with "/"). When
    the app is served under that prefix, reverse() inside a request already starts with it
    (the script prefix): it is taken off first, so the prefix appears exactly once whether the
    link is built in a request or by a worker."""
    base = settings.SITE_URL.rstrip("/")
    prefix = get_script_prefix().rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    if not path.startswith("/"):
        path = "/" + path
    return base + path


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
