"""Shared fixtures: personas named for roles (C19) and the service switches for CI."""

import os

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import CommunityFactory, MemberFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("TWINNING_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL and Redis tests skip with a reason under `make test` when no server is
    configured; under .ci/run (TWINNING_REQUIRE_SERVICES=1) they must run."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres and not REQUIRE_SERVICES:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: set DATABASE_URL "
                    "(make test-postgres; required in .ci/run)"
                )
            )
        if "redis" in item.keywords and not has_redis and not REQUIRE_SERVICES:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Redis: set REDIS_URL (make test-postgres; required in .ci/run)"
                )
            )


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    # A transactional test's flush recreates the content types with new ids: forget the old.
    ContentType.objects.clear_cache()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the site's default language: a request with a language cookie
    activates that language for the thread (LocaleMiddleware), and a test after it on the
    same worker would otherwise read its strings in that language."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def anonymous(db) -> Client:
    return Client()


def _client_for(user, *, verified: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def springfield(db):
    return CommunityFactory(name="Springfield", country__code="US", country__name="United States")


@pytest.fixture
def springfield_member(springfield):
    return MemberFactory(name="Springfield Sister Cities", communities=[springfield])


def verified(user):
    """The user as a request sees them after their second factor (django-otp's middleware sets
    `is_verified`): what services receive as `by` from a verified staff session."""
    user.is_verified = lambda: True
    return user


@pytest.fixture
def staff_user(db):
    """Association staff as services see them from a verified session (see `verified`)."""
    return verified(UserFactory(email="staff@example.org", is_staff=True))


@pytest.fixture
def staff(staff_user) -> Client:
    """Association staff, signed in with their second factor verified."""
    return _client_for(staff_user, verified=True)


@pytest.fixture
def staff_without_otp(staff_user) -> Client:
    """Association staff signed in with a password only (no second factor yet)."""
    return _client_for(staff_user)


@pytest.fixture
def committee_admin_user(springfield_member):
    user = UserFactory(email="admin@springfield.example")
    springfield_member.admins.add(user)
    return user


@pytest.fixture
def committee_admin(committee_admin_user) -> Client:
    """The committee admin of Springfield's member organisation."""
    return _client_for(committee_admin_user)


@pytest.fixture
def other_committee_admin_user(db):
    other = MemberFactory(name="Shelbyville Twinning Association")
    user = UserFactory(email="admin@shelbyville.example")
    other.admins.add(user)
    return user


@pytest.fixture
def other_committee_admin(other_committee_admin_user) -> Client:
    """A committee admin of another member organisation."""
    return _client_for(other_committee_admin_user)


@pytest.fixture
def public_user(db):
    return UserFactory(email="someone@example.org")


@pytest.fixture
def public(public_user) -> Client:
    """A registered member of the public, with no role."""
    return _client_for(public_user)


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto), one per test process (tests/s3.py)."""
    from tests.s3 import start_server

    server, endpoint = start_server()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """Media on the local S3 server: two fresh buckets, public and private, as MEDIA_STORAGE=s3
    configures them."""
    from tests.s3 import switch_to_s3

    return switch_to_s3(settings, s3_server)
