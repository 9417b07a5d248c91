"""The C1 matrix's roles and the usual rows of expected statuses, shared by every app's
`tests/<app>/matrix.py` (collected by tests/core/test_route_matrix.py).

Statuses are per role, in ROLES order. Forbidden objects answer 404 like missing ones (C12);
anonymous visitors of protected pages go to sign-in (302); staff without their second factor
go to the code page (302). Roles beyond these six (judges, students, guardians) are tested by
each app's own role tests.

Below them, what the method matrix and the admin walk share: `all_routes()` (every pattern the
URL resolver knows, with `sample_path()` for those no matrix names), `Snapshot` (what a refused
request must leave as it was), `unsafe_request` and `refused`."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize

from twinning.core.models import Association

ROLES = (
    "anonymous",
    "public",
    "committee_admin",
    "other_committee_admin",
    "staff_without_otp",
    "staff",
)
EVERYONE = (200,) * 6
SIGNED_IN = (302, 200, 200, 200, 200, 200)
STAFF_PAGE = (302, 404, 404, 404, 302, 200)
STAFF_ACTION = (302, 404, 404, 404, 302, 405)  # POST-only: GET is refused once authorised
OWN_MEMBER = (302, 404, 200, 404, 404, 404)


# --- Every route, found by the URL resolver (so a new route is covered without editing) ------

SAMPLE_VALUES = ("0", "1", "x", "not-a-token")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name (namespaced), its full regex, its view."""

    name: str
    regex: str
    callback: Any = field(compare=False)

    def sample_path(self) -> str:
        """A path this pattern resolves (and only this one): each parameter filled with the
        first sample value (or app label) that makes the resolver pick this very view."""
        template, params = normalize(self.regex)[0]
        candidates = SAMPLE_VALUES + tuple(c.label for c in apps.get_app_configs())
        values: dict[str, str] = {}
        for param in params:
            for value in candidates:
                trial = "/" + template % {**dict.fromkeys(params, "1"), **values, param: value}
                try:
                    if resolve(trial).func is self.callback:
                        values[param] = value
                        break
                except Resolver404:
                    continue
        return "/" + template % {**dict.fromkeys(params, "1"), **values}


def all_routes() -> list[Route]:
    """Every URL pattern of the project, admin and third-party pages included."""

    def walk(patterns: list, regex: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            part = pattern.pattern.regex.pattern.lstrip("^")
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, regex + part, ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                yield Route(name or regex + part, "^" + regex + part, pattern.callback)

    return list(walk(get_resolver().url_patterns, "", ""))


# --- "Nothing changed": what a refused request must leave as it was -------------------------

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A signed-in request pushes its session's expiry forward (at most once a minute).
NOT_DATA = frozenset({"django_session"})


class Snapshot:
    """Row counts of every table (one query: the audit log and the outbox are tables too), the
    e-mails sent, and every INSERT/UPDATE/DELETE that touched a row while `watching`."""

    def __init__(self) -> None:
        # The association's one row is made on the first request of all (AssociationMiddleware).
        Association.load()

        tables = sorted(
            {
                model._meta.db_table
                for model in apps.get_models(include_auto_created=True)
                if model._meta.managed and not model._meta.proxy
            }
        )
        quote = connection.ops.quote_name
        self.tables = tables
        # Table names from the models, quoted: no outside input reaches this query.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
        self.sql = f"SELECT {counts}"
        self.writes: list[tuple[str, int]] = []

    def counts(self) -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            row = cursor.fetchone()
        return (*row, len(getattr(mail, "outbox", [])))

    def changed(self, before: tuple, after: tuple) -> dict[str, tuple[int, int]]:
        names = [*self.tables, "mail.outbox"]
        return {n: (b, a) for n, b, a in zip(names, before, after, strict=True) if b != a}

    def _record(self, execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        # An INSERT ... RETURNING reports no row count on SQLite until its rows are read.
        touched = context["cursor"].rowcount or sql.lstrip()[:6].upper() == "INSERT"
        if match and match.group(1) not in NOT_DATA and touched:
            self.writes.append((match.group(1), context["cursor"].rowcount))
        return result

    def watching(self) -> Any:
        self.writes = []
        return connection.execute_wrapper(self._record)


def unsafe_request(client: Any, method: str, path: str) -> Any:
    """POST a small form (JSON to the API); PUT, PATCH and DELETE a JSON body."""
    payload = {"message": "no", "reason": "no", "note": "no", "confirm": "yes"}
    send = getattr(client, method.lower())
    if method == "POST" and not path.startswith("/api/"):
        return send(path, payload)
    return send(path, json.dumps(payload), content_type="application/json")


def refused(response: Any) -> bool:
    """Refused: 401/403/404/405, its input refused (400/422), or sent to the sign-in, code or
    admin sign-in page. A refused request changes nothing."""
    if response.status_code in (400, 401, 403, 404, 405, 422):
        return True
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response["Location"]).path in _sign_in_pages()


@cache
def _sign_in_pages() -> frozenset[str]:
    pages = ("accounts:login", "accounts:otp_verify", "accounts:otp_setup", "accounts:reauth")
    return frozenset({*(reverse(name) for name in pages), "/admin/login/"})
