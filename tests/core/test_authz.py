"""The one authorisation vocabulary (twinning/core/authz.py): NotAllowed answered once as 404,
verified staff failing closed, SYSTEM as the platform's own actor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import include, path

from tests.conftest import verified
from tests.factories import UserFactory
from twinning.core.authz import (
    SYSTEM,
    NotAllowed,
    NotAllowedMiddleware,
    is_verified_staff,
    require,
    require_verified_staff,
)
from twinning.core.models import ActivityLog
from twinning.core.services import log_activity


def _refuse(request):
    raise NotAllowed("showcase.hidden_permission_name")


urlpatterns = [path("refuse/", _refuse), path("", include("twinning.urls"))]


@pytest.mark.django_db
def test_is_verified_staff_fails_closed_without_the_otp_middleware():
    staff = UserFactory(is_staff=True)  # no `is_verified`: the OTP middleware did not run

    assert is_verified_staff(staff) is False


@pytest.mark.django_db
def test_is_verified_staff_needs_staff_active_and_verified():
    assert is_verified_staff(verified(UserFactory(is_staff=True))) is True
    assert is_verified_staff(verified(UserFactory(is_staff=False))) is False
    assert is_verified_staff(verified(UserFactory(is_staff=True, is_active=False))) is False
    assert is_verified_staff(AnonymousUser()) is False
    assert is_verified_staff(None) is False
    assert is_verified_staff(SYSTEM) is False


@pytest.mark.django_db
def test_require_refuses_anonymous_none_and_unprivileged_but_not_system():
    with pytest.raises(NotAllowed):
        require(AnonymousUser(), "network.record_partnership")
    with pytest.raises(NotAllowed):
        require(None, "network.record_partnership")
    with pytest.raises(NotAllowed):
        require(UserFactory(), "network.record_partnership")

    require(SYSTEM, "network.record_partnership")
    require(verified(UserFactory(is_staff=True)), "network.record_partnership")


@pytest.mark.django_db
def test_require_verified_staff_refuses_staff_with_a_password_only():
    with pytest.raises(NotAllowed):
        require_verified_staff(UserFactory(is_staff=True))

    require_verified_staff(SYSTEM)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_authz")
def test_not_allowed_from_a_view_answers_the_404_page(client):
    response = client.get("/refuse/")

    assert response.status_code == 404
    assert "hidden_permission_name" not in response.content.decode()


def test_not_allowed_middleware_turns_the_exception_into_http404():
    middleware = NotAllowedMiddleware(lambda request: None)

    from django.http import Http404

    with pytest.raises(Http404):
        middleware.process_exception(RequestFactory().get("/"), NotAllowed("x"))
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


@pytest.mark.django_db
def test_system_actions_are_logged_without_an_actor(springfield):
    entry = log_activity(springfield, "network.community.checked", by=SYSTEM)

    assert ActivityLog.objects.get(pk=entry.pk).actor is None
