"""INPUT-2: no input makes the API answer 500; every answer is one its OpenAPI schema lists
(status, and body shape, including the shared error body of 401/403/404/422).

Schemathesis generates requests from /api/openapi.json itself (each query parameter, path
parameter and body field, NUL characters and huge numbers included) and checks each answer,
once without credentials and once with a committee admin's API token holding every scope.
Bounded and deterministic (`derandomize`); run on PostgreSQL in .ci/run too, where a NUL that
reached a query would be a 500."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ApiTokenFactory,
    CommunityFactory,
    MemberFactory,
    PartnershipFactory,
    UserFactory,
)
from twinning.api import api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 15


@pytest.fixture
def api_world(db):
    """Some of everything the API reads, and a token for a committee that may write.

    Requests go through the WSGI application in this thread, inside the test's transaction:
    as Django's test client does, the connection is not closed at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    springfield = CommunityFactory(name="Springfield", slug="springfield")
    partner = CommunityFactory(name="Kragujevac", slug="kragujevac")
    pair = sorted([springfield, partner], key=lambda community: community.pk)
    PartnershipFactory(community_a=pair[0], community_b=pair[1])
    admin = UserFactory()
    member = MemberFactory(name="Springfield Twinning", slug="springfield-twinning")
    member.communities.add(springfield)
    member.admins.add(admin)
    token = ApiTokenFactory(
        member=member, owner=admin, scopes=["registry:read", "member:read", "member:write"]
    )
    yield {"token": token.secret}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema() -> schemathesis.schemas.BaseSchema:
    """The schema /api/openapi.json serves (the same object, rendered without a request), run
    against the site's own WSGI application."""
    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_input_no_api_answer_without_credentials_is_a_server_error_or_unlisted(case, api_world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_input_no_api_answer_to_a_committee_token_is_a_server_error_or_unlisted(case, api_world):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world['token']}"}, checks=CHECKS)


# Values the generator may take long to reach, sent to every parameter of every operation:
# NUL characters (PostgreSQL refuses them in text) and numbers past any database integer.
HOSTILE_STRINGS = ["\x00", "spr\x00ing"]
HOSTILE_INTEGERS = [10**20, -(10**20), 0]
RAW_SCHEMA = schema.raw_schema


def _types(parameter_schema: dict) -> set[str]:
    options = parameter_schema.get("anyOf", [parameter_schema])
    return {option.get("type", "") for option in options} | (
        {"string"} if "enum" in parameter_schema or "$ref" in parameter_schema else set()
    )


def _hostile_values(parameter_schema: dict) -> list:
    types = _types(parameter_schema)
    values = list(HOSTILE_STRINGS)
    if "integer" in types:
        values += HOSTILE_INTEGERS
    return values


def _body_properties(operation_definition: dict) -> dict:
    content = operation_definition.get("requestBody", {}).get("content", {})
    reference = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    if not reference:
        return {}
    return RAW_SCHEMA["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"]


def _hostile_cases():
    for path, operations in RAW_SCHEMA["paths"].items():
        for method, definition in operations.items():
            for parameter in definition.get("parameters", []):
                for value in _hostile_values(parameter["schema"]):
                    yield path, method, parameter["in"], parameter["name"], value
            for name, property_schema in _body_properties(definition).items():
                for value in _hostile_values(property_schema):
                    yield path, method, "body", name, value


@pytest.mark.parametrize("credentials", ["none", "token"])
def test_input_nul_and_huge_numbers_in_every_parameter_answer_as_the_schema_says(
    api_world, credentials
):
    headers = {"Authorization": f"Bearer {api_world['token']}"} if credentials == "token" else {}
    sent = 0
    for path, method, location, name, value in _hostile_cases():
        operation = schema[path][method.upper()]
        valid_path = {"code": "us", "slug": "springfield-twinning"}
        parts = {"path_parameters": {k: v for k, v in valid_path.items() if "{" + k + "}" in path}}
        if location == "path":
            parts["path_parameters"][name] = value
        elif location == "query":
            parts["query"] = {name: value}
        elif location == "body":
            parts["body"] = {
                "member": "springfield-twinning",
                "community": "springfield",
                "partner": "kragujevac",
                name: value,
            }
            parts["media_type"] = "application/json"
        case = operation.Case(**parts)

        case.call_and_validate(headers=headers, checks=CHECKS)
        sent += 1

    assert sent > 50  # every operation's parameters were reached
