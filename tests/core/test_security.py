"""Deployment headers and exposure (HDR-2, HDR-5, HDR-6, HDR-7, HDR-8, INPUT-7) on the public
pages."""

import pytest
from django.test import Client
from django.urls import path

from twinning.urls import urlpatterns as site_urlpatterns

PUBLIC_PAGES = ["/", "/healthz", "/api/openapi.json"]


def _boom(request):
    raise RuntimeError("SECRET_KEY=canary-Zq7Kestrel4431 in /srv/twinning/settings.py")


urlpatterns = [path("test-only/boom/", _boom), *site_urlpatterns]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a2_every_response_has_the_security_headers(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    content_type = response["Content-Type"].lower()
    # JSON is UTF-8 by definition (RFC 8259 section 8.1) and takes no charset parameter.
    assert "charset=utf-8" in content_type or content_type == "application/json"


@pytest.mark.django_db
def test_a2_html_has_a_strict_content_security_policy_and_coop(anonymous):
    response = anonymous.get("/")

    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a2_pages_load_nothing_from_another_origin(anonymous):
    html = anonymous.get("/").content.decode()

    assert 'src="http' not in html
    assert 'href="http' not in html.split("<body", 1)[0]


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_security")
def test_a5_a_server_error_shows_a_plain_page_without_details(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/test-only/boom/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body
    assert "canary-Zq7Kestrel4431" not in body
    assert "/srv/" not in body


@pytest.mark.django_db
def test_a5_a_missing_page_says_so_in_the_users_terms(anonymous):
    response = anonymous.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_a6_unexpected_methods_on_pages_are_refused(anonymous, method):
    response = anonymous.generic(method, "/")

    assert response.status_code == 405


@pytest.mark.django_db
def test_a7_a_forged_host_header_is_refused(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/", HTTP_HOST="evil.example")
    forwarded = client.get("/", HTTP_X_FORWARDED_HOST="evil.example", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert forwarded.status_code == 400
    assert "*" not in settings.ALLOWED_HOSTS


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/.git/HEAD", "/media/", "/var/twinning.sqlite3", "/.env"])
def test_a8_nothing_private_is_reachable(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 404


@pytest.mark.django_db
def test_a8_the_admin_is_not_shown_to_the_public(anonymous, public):
    for client in (anonymous, public):
        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_e7_too_many_form_fields_are_refused_without_a_server_error(settings):
    client = Client(raise_request_exception=False)
    data = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/i18n/setlang/", data)

    assert response.status_code == 400
