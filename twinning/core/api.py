"""What every app's API router shares: the one error body its operations declare.

Every refusal of the API has the same shape, `{"detail": ...}`: a sentence for 400 (a body
that is not JSON), 401 (no valid credentials), 403 (a token without the scope) and 404
(missing, or out of the caller's reach, C12), and for 422 the list of what is wrong, field by
field, as django-ninja writes it. An operation lists the answers it can give with
`errors(...)`, so the OpenAPI schema tells clients (and the schema fuzz test) every status
they may get. Every operation lists 422: a NUL character anywhere in a request is refused so
(twinning/core/middleware.py).
"""

from typing import Any

from ninja import Schema


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ApiError(Schema):
    detail: str | list[ErrorItem]


ERROR_STATUSES = frozenset({400, 401, 403, 404, 422})


def errors(*codes: int) -> dict[int, Any]:
    """The error answers an operation may give, for its `response=` declaration (400, 401,
    403, 404 or 422, as above), each with the shared error body."""
    if not ERROR_STATUSES.issuperset(codes):
        raise ValueError(f"no shared error body for {set(codes) - ERROR_STATUSES}")
    return dict.fromkeys(codes, ApiError)
