"""ACC-1: every URL pattern by every role, with the expected status written here (not
computed from the code under test). A new URL without an entry in MATRIX fails
`test_c1_every_route_is_in_the_matrix`. Forbidden objects answer 404 like missing ones (C12);
anonymous visitors of protected pages go to sign-in (302); staff without their second factor
go to the code page (302). The admin has its own tests (tests/core/test_admin_pages.py and
tests/*/test_admin.py).

POST, PUT, PATCH and DELETE go to every route the resolver knows, as every role: a refused
request (401/403/404/405, 400/422, or sent to sign in) must leave every table's row count, the
e-mails sent, and every row as they were (no INSERT/UPDATE/DELETE touched a row); where the GET
matrix refuses the role, these methods must be refused too; an allowed one may do its work but
never answer 500."""

import importlib
import importlib.util
import pkgutil

import pytest

import tests
from tests.conftest import _client_for
from tests.factories import ApiTokenFactory, CommunityFactory, PartnershipFactory
from tests.matrix import (
    EVERYONE,
    OWN_MEMBER,
    ROLES,
    SIGNED_IN,
    STAFF_ACTION,
    STAFF_PAGE,
    Snapshot,
    all_routes,
    refused,
    unsafe_request,
)
from twinning.network.models import Community, PartnershipProposal

# route name -> (path template, expected GET status per role in ROLES order)
MATRIX = {
    "core:healthz": ("/healthz", EVERYONE),
    "network:home": ("/", EVERYONE),
    "network:community_list": ("/communities/?q=spr", EVERYONE),
    "network:community_export_csv": ("/communities/export.csv", EVERYONE),
    "network:community_export_geojson": ("/communities/export.geojson", EVERYONE),
    "network:community_detail": ("/communities/{springfield}/", EVERYONE),
    "network:country_list": ("/countries/", EVERYONE),
    "network:country_detail": ("/countries/us/", EVERYONE),
    "network:stats": ("/stats/", EVERYONE),
    "network:map": ("/map/", EVERYONE),
    "network:map_data": ("/map/data.json", EVERYONE),
    "network:portal_home": ("/portal/", SIGNED_IN),
    "network:portal_community_search": (
        "/portal/communities.json?q=spr",
        (302, 404, 200, 200, 404, 404),
    ),
    "network:portal_member": ("/portal/{member}/", OWN_MEMBER),
    "network:portal_member_edit": ("/portal/{member}/edit/", OWN_MEMBER),
    "network:portal_token_list": ("/portal/{member}/api-tokens/", OWN_MEMBER),
    "network:portal_token_revoke": (
        "/portal/{member}/api-tokens/{token}/revoke/",
        (302, 405, 405, 405, 405, 405),
    ),
    "network:portal_proposal_create": ("/portal/{member}/proposals/new/", OWN_MEMBER),
    "network:portal_status_proposal": (
        "/portal/{member}/partnerships/{partnership}/status/",
        OWN_MEMBER,
    ),
    "network:portal_partnership_confirm": (
        "/portal/{member}/partnerships/{partnership}/confirm/",
        (302, 405, 405, 405, 405, 405),
    ),
    "network:staff_dashboard": ("/staff/", STAFF_PAGE),
    "network:staff_proposal_list": ("/staff/proposals/", STAFF_PAGE),
    "network:staff_proposal_detail": ("/staff/proposals/{proposal}/", STAFF_PAGE),
    "network:staff_proposal_approve": ("/staff/proposals/{proposal}/approve/", STAFF_ACTION),
    "network:staff_proposal_decline": ("/staff/proposals/{proposal}/decline/", STAFF_ACTION),
    "network:staff_location_list": ("/staff/locations/", STAFF_PAGE),
    "network:staff_token_list": ("/staff/api-tokens/", STAFF_PAGE),
    "network:staff_token_revoke": ("/staff/api-tokens/{token}/revoke/", STAFF_ACTION),
    "network:staff_location_accept": ("/staff/locations/{flagged}/accept/", STAFF_ACTION),
    "network:staff_location_keep": ("/staff/locations/{flagged}/keep/", STAFF_ACTION),
    "network:staff_community_search": ("/staff/communities.json?q=spr", STAFF_PAGE),
    "network:staff_partnership_create": ("/staff/partnerships/new/", STAFF_PAGE),
    "network:staff_partnership_status": ("/staff/partnerships/{partnership}/", STAFF_PAGE),
    "network:staff_partnership_confirm": (
        "/staff/partnerships/{partnership}/confirm/",
        STAFF_ACTION,
    ),
    "accounts:login": ("/accounts/login/", EVERYONE),
    "accounts:logout": ("/accounts/logout/", (405,) * 6),
    "accounts:profile": ("/accounts/profile/", SIGNED_IN),
    # staff_without_otp has no authenticator yet: the code page sends them to set one up.
    "accounts:otp_verify": ("/accounts/two-factor/", (302, 404, 404, 404, 302, 302)),
    "accounts:otp_setup": ("/accounts/two-factor/setup/", (302, 404, 404, 404, 200, 302)),
    # B12: a fresh sign-in needs no confirmation (back to `next`); verified staff confirm
    # their password and code (the matrix's session records no code check); staff without
    # their second factor give it on the code page first.
    "accounts:reauth": ("/accounts/confirm/", (302, 302, 302, 302, 302, 200)),
    "accounts:password_change": ("/accounts/password/change/", SIGNED_IN),
    "accounts:password_reset": ("/accounts/password/reset/", EVERYONE),
    "accounts:password_reset_done": ("/accounts/password/reset/sent/", EVERYONE),
    "accounts:password_reset_confirm": ("/accounts/password/reset/MQ/set-password/", EVERYONE),
    "accounts:password_reset_complete": ("/accounts/password/reset/complete/", EVERYONE),
    "api:openapi-json": ("/api/openapi.json", EVERYONE),
    "api:openapi-view": ("/api/docs", EVERYONE),
    "api:list_countries": ("/api/countries", EVERYONE),
    "api:get_country": ("/api/countries/us", EVERYONE),
    "api:list_communities": ("/api/communities?q=spr", EVERYONE),
    "api:get_community": ("/api/communities/{springfield}", EVERYONE),
    "api:list_partnerships": ("/api/partnerships", EVERYONE),
    "api:list_my_members": ("/api/me/members", (401, 200, 200, 200, 200, 200)),
    "api:get_my_member": ("/api/me/members/{member}", (401, 404, 200, 404, 404, 404)),
    "api:update_my_member": ("/api/me/members/{member}", (401, 404, 200, 404, 404, 404)),
    "api:list_my_proposals": ("/api/me/proposals", (401, 200, 200, 200, 200, 200)),
    "api:create_my_proposal": ("/api/me/proposals", (401, 200, 200, 200, 200, 200)),
    "api:api-root": ("/api/", (404,) * 6),
    "set_language": ("/i18n/setlang/", (302,) * 6),
    "favicon": ("/favicon.ico", (301,) * 6),
}

# Each app's own routes: `tests/<app>/matrix.py` holds its MATRIX and, optionally,
# `build_world(base) -> dict` that creates the objects its paths name.
APP_MATRICES = [
    importlib.import_module(f"tests.{info.name}.matrix")
    for info in pkgutil.iter_modules(tests.__path__)
    if info.ispkg and importlib.util.find_spec(f"tests.{info.name}.matrix")
]
for _module in APP_MATRICES:
    assert not set(_module.MATRIX) & set(MATRIX), f"{_module.__name__} repeats a route"
    MATRIX.update(_module.MATRIX)

# Not application routes: the admin (tests/core/test_admin_pages.py) and DEBUG media serving.
UNCLASSIFIED_PREFIXES = ("^admin/", "^media/")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The user behind each role, to sign the role in again after an allowed request signed it out.
ROLE_USERS = {
    "public": ("public_user", False),
    "committee_admin": ("committee_admin_user", False),
    "other_committee_admin": ("other_committee_admin_user", False),
    "staff_without_otp": ("staff_user", False),
    "staff": ("staff_user", True),
}


def _application_routes():
    return [r for r in all_routes() if not r.regex.startswith(UNCLASSIFIED_PREFIXES)]


def test_c1_every_route_is_in_the_matrix():
    unclassified = sorted({route.name for route in _application_routes()} - set(MATRIX))

    assert unclassified == []


@pytest.fixture
def world(springfield, springfield_member, committee_admin_user):
    partner = CommunityFactory(name="Kragujevac")
    pair = sorted([springfield, partner], key=lambda c: c.pk)
    partnership = PartnershipFactory(community_a=pair[0], community_b=pair[1])
    proposal = PartnershipProposal.objects.create(
        member=springfield_member,
        action="new",
        community=springfield,
        partner=CommunityFactory(),
        proposed_by=committee_admin_user,
    )
    flagged = CommunityFactory(
        location_status=Community.LocationStatus.OUTSIDE_COUNTRY,
        suggested_latitude=1.0,
        suggested_longitude=2.0,
    )
    base = {
        "springfield": springfield.slug,
        "member": springfield_member.slug,
        "partnership": partnership.pk,
        "proposal": proposal.pk,
        "flagged": flagged.pk,
        "token": ApiTokenFactory(member=springfield_member, owner=committee_admin_user).pk,
    }
    for module in APP_MATRICES:
        if hasattr(module, "build_world"):
            base.update(module.build_world(base))
    return base


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_c1_every_route_answers_each_role_as_the_matrix_says(request, world, role):
    client = request.getfixturevalue(role)
    request.getfixturevalue("other_committee_admin_user")

    mismatches = {}
    for name, (template, expected) in MATRIX.items():
        status = client.get(template.format(**world)).status_code
        if status != expected[ROLES.index(role)]:
            mismatches[name] = (status, expected[ROLES.index(role)])

    assert mismatches == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["anonymous", "public", "committee_admin", "other_committee_admin", "staff_without_otp"]
)
def test_c1_staff_actions_posted_by_other_roles_change_nothing(request, world, role):
    client = request.getfixturevalue(role)
    actions = [name for name, (_t, expected) in MATRIX.items() if expected == STAFF_ACTION]
    before = (
        PartnershipProposal.objects.filter(state="pending").count(),
        Community.objects.needing_location_review().count(),
    )

    statuses = {
        name: client.post(MATRIX[name][0].format(**world), {"message": "no"}).status_code
        for name in actions
    }

    assert set(statuses.values()) <= {302, 404}
    assert (
        PartnershipProposal.objects.filter(state="pending").count(),
        Community.objects.needing_location_review().count(),
    ) == before


def _paths(world):
    """One path per application route: the matrix's, or one the resolver's pattern yields."""
    paths = {}
    for route in _application_routes():
        path = MATRIX[route.name][0].format(**world) if route.name in MATRIX else None
        paths.setdefault(path or route.sample_path(), route.name)
    return paths


def _refused_by_the_matrix(name, role):
    """The GET matrix refuses this role here: 401/403/404, or a 302 to sign in (anonymous) or
    to the code page (staff without it) on a row where some role is not redirected."""
    if name not in MATRIX:
        return False
    row = MATRIX[name][1]
    status = row[ROLES.index(role)]
    if status in (401, 403, 404):
        return True
    if status != 302:
        return False
    if role == "anonymous":  # sent to sign in, where some signed-in role is let through
        return not all(s in (301, 302) for s in row)
    if role == "staff_without_otp":  # sent to the code page, where verified staff get through
        return row[ROLES.index("staff")] not in (301, 302)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_c1_unsafe_methods_refused_change_nothing_and_allowed_never_fail(request, world, role):
    client = request.getfixturevalue(role)
    request.getfixturevalue("other_committee_admin")
    user, verified = (None, False)
    if role in ROLE_USERS:
        user, verified = request.getfixturevalue(ROLE_USERS[role][0]), ROLE_USERS[role][1]
    snapshot = Snapshot()
    client.raise_request_exception = False  # a 500 is recorded, the walk goes on

    server_errors, changed_when_refused, answered_though_refused = {}, {}, {}
    after = snapshot.counts()
    for path, name in _paths(world).items():
        for method in UNSAFE_METHODS:
            before = after  # one count query per request
            with snapshot.watching():
                response = unsafe_request(client, method, path)
            after = snapshot.counts()
            if response.status_code >= 500:
                server_errors[f"{method} {name}"] = response.status_code
            elif refused(response):
                changes = snapshot.changed(before, after)
                if changes or snapshot.writes:
                    changed_when_refused[f"{method} {name}"] = (changes, snapshot.writes)
            elif _refused_by_the_matrix(name, role):
                answered_though_refused[f"{method} {name}"] = response.status_code
            elif user is not None and client.session.get("_auth_user_id") != str(user.pk):
                client = _client_for(user, verified=verified)  # e.g. after signing out
                client.raise_request_exception = False
                after = snapshot.counts()

    assert server_errors == {}
    assert changed_when_refused == {}
    assert answered_though_refused == {}
