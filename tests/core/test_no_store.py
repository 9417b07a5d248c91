"""HDR-4: every answer that may show personal data is `Cache-Control: no-store`, over every
route of the ACC-1 matrix; HDR-3: the language cookie is Secure (with the session cookie) and
SameSite=Lax."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.core.test_route_matrix import MATRIX, world  # noqa: F401 (the fixture)
from tests.matrix import all_routes

# The only answers that may be cached although the visitor is signed in: the same for everyone.
# relief's ledger CSV of a public appeal: the same file for everyone (never an e-mail), with
# its ETag (a draft's stays private, no-store).
DECLARED_PUBLIC = {"network:map_data", "relief:ledger_csv"}
# Pages opened through a link mailed to someone: whoever holds it sees that person's data.
SECRET_LINK_ROUTES = [
    "accounts:password_reset_confirm",
    "accounts:verify_email",
    "awards:confirm",
    "events:attendee_details",
    "events:summit_consent_open",
    "events:waiting_list_offer",
    "exchanges:consent_open",
    "exchanges:contact_open",
    "exchanges:reference",
    "events:agenda_ics",
    "grants:sign_link",
    "matchmaking:expertise_link",
    "matchmaking:expertise_link_withdraw",
    "members:invitation_open",
    "outbox:unsubscribe",
    "relief:partner_link",
    "relief:receipt_link",
    "review:invitation_open",
    "showcase:consent_open",
    "showcase:guardian_link",
]


def _cache_control(response) -> str:
    return response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["public", "committee_admin", "staff_without_otp", "staff"])
def test_hdr4_every_answer_to_a_signed_in_user_is_no_store(request, world, role):  # noqa: F811
    client = request.getfixturevalue(role)

    stored = {}
    for name, (template, _expected) in MATRIX.items():
        response = client.get(template.format(**world))
        if "no-store" not in _cache_control(response) and name not in DECLARED_PUBLIC:
            stored[name] = (response.status_code, _cache_control(response))

    assert stored == {}


@pytest.mark.django_db
def test_hdr4_pages_behind_secret_links_are_no_store_for_anyone(anonymous, world):  # noqa: F811
    link_routes = {
        route.name
        for route in all_routes()
        # Under /admin/ a token is an API key behind the second factor (django_rq), not a link.
        if not route.regex.startswith("^admin/")
        and any(f"(?P<{key}>" in route.regex for key in ("token", "signed", "uidb64"))
    }
    assert link_routes == set(SECRET_LINK_ROUTES)

    answers = {
        name: _cache_control(anonymous.get(MATRIX[name][0].format(**world)))
        for name in SECRET_LINK_ROUTES
    }

    assert {name: value for name, value in answers.items() if "no-store" not in value} == {}


@pytest.mark.django_db
def test_hdr4_public_pages_for_anonymous_visitors_stay_cacheable(anonymous, world):  # noqa: F811
    for path in ("/", "/communities/", "/map/data.json"):
        assert "no-store" not in _cache_control(anonymous.get(path))


@pytest.mark.django_db
def test_hdr4_the_answer_that_signs_someone_in_is_no_store(anonymous, public_user):
    public_user.set_password("correct horse battery")
    public_user.save()

    response = anonymous.post(
        "/accounts/login/",
        {"username": public_user.email, "password": "correct horse battery"},
    )

    assert response.status_code == 302
    assert "no-store" in _cache_control(response)


@pytest.mark.django_db
def test_hdr3_the_language_cookie_is_samesite_lax(anonymous):
    response = anonymous.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["samesite"] == "Lax"


def _production_setting(names: str, **extra: str) -> str:
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "False",
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "twinning.settings",
        **extra,
    }
    code = f"import twinning.settings as s; print([getattr(s, n) for n in {names.split()!r}])"
    result = subprocess.run(  # noqa: S603 (our own interpreter and settings)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_hdr3_in_production_the_language_cookie_is_secure_like_the_session_cookie():
    names = "LANGUAGE_COOKIE_SECURE SESSION_COOKIE_SECURE LANGUAGE_COOKIE_SAMESITE"

    assert _production_setting(names) == "[True, True, 'Lax']"
    # README: DEBUG off over plain http on one's own machine turns all of them off together.
    assert _production_setting(names, SECURE_COOKIES="False") == "[False, False, 'Lax']"
