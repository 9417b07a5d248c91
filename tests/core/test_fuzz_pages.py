"""INPUT-1: no query string or form value makes any HTML page answer 500, for any role.

For each role of the C1 matrix, every route is opened as the matrix lists it; the forms each
page renders give the names to fuzz (a GET form's fields become query parameters, a POST
form's fields are posted to its action). Then, per role: every such name once with a NUL
character and once with a huge number, and a bounded, deterministic hypothesis run of mixed
values over all of them. Run on PostgreSQL in .ci/run too, where a NUL reaching a query would
be a 500."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_route_matrix import MATRIX, world  # noqa: F401 (the fixture)
from tests.matrix import ROLES

# Never posted: signing out would end the role's session for the rest of the run.
NOT_POSTED = ("/accounts/logout/",)
HOSTILE = ["a\x00b", "9" * 30]
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            *HOSTILE,
            "\x00",
            "-1",
            "",
            "0",
            "1",
            "2147483648",
            "1e400",
            "%",
            "'",
            "2026-02-30",
            "x" * 500,
        ]
    ),
)


@dataclass(frozen=True)
class Target:
    method: str  # "get" or "post"
    url: str
    fields: tuple[str, ...]


class _Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            self.forms.append((method, attributes.get("action") or "", []))
        elif tag in {"input", "select", "textarea", "button"} and self.forms:
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.forms[-1][2].append(name)


def _targets(client, world_values) -> list[Target]:
    found: dict[tuple[str, str], set[str]] = {}
    for template, _expected in MATRIX.values():
        url = template.format(**world_values)
        path = urlsplit(url).path
        found.setdefault(("get", path), set()).update(
            {"page", *(key for key, _value in parse_qsl(urlsplit(url).query))}
        )
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for method, action, fields in parser.forms:
            target_path = urlsplit(urljoin(path, action)).path if action else path
            if target_path.startswith(NOT_POSTED) or method not in {"get", "post"}:
                continue
            found.setdefault((method, target_path), set()).update(fields)
    return [
        Target(method, url, tuple(sorted(fields)))
        for (method, url), fields in sorted(found.items())
        if fields
    ]


def _send(client, target: Target, values: dict[str, str]):
    response = getattr(client, target.method)(target.url, values)
    assert response.status_code < 500, (target, values)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_input_no_query_string_or_form_value_makes_a_page_fail(request, world, role):  # noqa: F811
    client = request.getfixturevalue(role)
    request.getfixturevalue("other_committee_admin_user")
    targets = _targets(client, world)
    assert len(targets) > 20, targets

    for target in targets:
        for field in target.fields:
            for value in HOSTILE:
                _send(client, target, {field: value})

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def mixed_values(data):
        target = data.draw(st.sampled_from(targets), label="target")
        values = data.draw(
            st.dictionaries(st.sampled_from(target.fields), VALUES, max_size=len(target.fields)),
            label="values",
        )
        _send(client, target, values)

    mixed_values()
