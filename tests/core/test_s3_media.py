"""Media on S3-compatible storage (MEDIA_STORAGE=s3) against a local moto server (tests/s3.py):
private objects are streamed through `media_response` with the UPL-4 headers and have no URL
(UPL-5), nothing private is readable from the bucket, public media (the association's logo) have
a plain public URL that the pages' CSP allows, and the settings come from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from tests.showcase.media import png_bytes
from twinning.core.checks import public_media_origin_allowed
from twinning.core.media import delete_stored, media_response, private_storage, store_bytes
from twinning.core.s3 import PrivateS3Storage
from twinning.core.services import get_association, update_association
from twinning.settings import BASE_DIR, s3_media_settings


def test_s3_private_storage_is_the_private_bucket(s3_media):
    name = store_bytes(b"a letter", extension="pdf", folder="activities/letters")

    assert isinstance(private_storage._wrapped, PrivateS3Storage)
    assert s3_media.private_keys() == [name]
    assert s3_media.keys(s3_media.public_bucket) == []


def test_s3_private_file_is_streamed_with_the_media_headers(s3_media):
    name = store_bytes(b"x" * 200_000, extension="pdf", folder="exports")

    response = media_response(
        private_storage,
        name,
        content_type="application/pdf",
        download_name="Zoë's letter.pdf",
        inline=True,
    )

    assert response.streaming
    assert b"".join(response.streaming_content) == b"x" * 200_000
    assert response["Content-Length"] == "200000"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Zoe's letter.pdf\"; filename*=UTF-8''Zo%C3%AB%27s%20letter.pdf"
    )


def test_s3_missing_private_file_is_a_404(s3_media):
    with pytest.raises(Http404):
        media_response(
            private_storage,
            "exports/0123456789abcdef.pdf",
            content_type="application/pdf",
            download_name="x.pdf",
            inline=False,
        )


def test_s3_private_storage_has_no_url(s3_media):
    name = store_bytes(b"a", extension="pdf")

    with pytest.raises(ValueError, match="no URL"):
        private_storage.url(name)


def test_s3_private_objects_refuse_an_anonymous_get(s3_media):
    name = store_bytes(b"a private letter", extension="pdf", folder="activities/letters")

    status, body = s3_media.anonymous_get(f"{s3_media.endpoint}/{s3_media.private_bucket}/{name}")

    assert status == 403
    assert b"a private letter" not in body


def test_s3_private_acl_is_forced_whatever_the_options_say(s3_media, settings):
    options = {**settings.STORAGES["private"]["OPTIONS"], "default_acl": "public-read"}
    storage = PrivateS3Storage(**options)

    name = store_bytes(b"a", extension="txt", storage=storage)

    status, _body = s3_media.anonymous_get(f"{s3_media.endpoint}/{s3_media.private_bucket}/{name}")
    assert status == 403


def test_s3_delete_stored_removes_the_object_from_the_bucket(s3_media):
    name = store_bytes(b"gone soon", extension="txt", folder="exports")

    delete_stored(private_storage, [name, "exports/never-existed.txt"])

    assert s3_media.private_keys() == []


def test_s3_association_logo_has_a_public_url_allowed_by_the_csp(
    s3_media, staff_user, anonymous, django_capture_on_commit_callbacks
):
    logo = png_bytes(32, 32)
    with django_capture_on_commit_callbacks(execute=True):
        update_association(
            association=get_association(),
            logo=SimpleUploadedFile("logo.png", logo, content_type="image/png"),
            by=staff_user,
        )
    url = get_association().logo.url

    status, body = s3_media.anonymous_get(url)
    page = anonymous.get("/")

    assert url.startswith(f"{s3_media.endpoint}/{s3_media.public_bucket}/association/")
    assert "?" not in url  # a plain URL: no signature to expire inside cached pages
    assert (status, body) == (200, logo)
    assert f'src="{url}"' in page.content.decode()
    assert s3_media.endpoint in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]


def test_s3_check_refuses_a_public_media_origin_outside_the_csp(s3_media, settings):
    assert public_media_origin_allowed(None) == []
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "img-src": ["'self'", "data:"]}
    }

    errors = public_media_origin_allowed(None)

    assert [error.id for error in errors] == ["twinning.E002"]
    assert s3_media.endpoint in errors[0].msg
    assert default_storage.url("x.png").startswith(s3_media.endpoint)


def test_s3_settings_come_from_the_environment():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "MEDIA_"))},
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": "https://objects.example.net",
        "S3_REGION": "eu-central-1",
        "S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "S3_SECRET_ACCESS_KEY": "example-secret",
        "S3_ADDRESSING_STYLE": "virtual",
        "S3_PUBLIC_BUCKET": "twinning-public",
        "S3_PRIVATE_BUCKET": "twinning-private",
    }
    script = (
        "import json; from twinning import settings as s; print(json.dumps({'storages': "
        "s.STORAGES, 'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}, default=str))"
    )

    result = subprocess.run(  # noqa: S603 (our own interpreter and settings)
        [sys.executable, "-c", script], env=env, cwd=BASE_DIR, capture_output=True, check=True
    )

    found = json.loads(result.stdout)
    public, private = found["storages"]["default"], found["storages"]["private"]
    assert public["BACKEND"] == "twinning.core.s3.PublicS3Storage"
    assert private["BACKEND"] == "twinning.core.s3.PrivateS3Storage"
    assert public["OPTIONS"]["bucket_name"] == "twinning-public"
    assert public["OPTIONS"]["default_acl"] == "public-read"
    assert private["OPTIONS"]["bucket_name"] == "twinning-private"
    for options in (public["OPTIONS"], private["OPTIONS"]):
        assert options["endpoint_url"] == "https://objects.example.net"
        assert options["region_name"] == "eu-central-1"
        assert options["addressing_style"] == "virtual"
        assert (options["access_key"], options["secret_key"]) == ("AKIDEXAMPLE", "example-secret")
    assert found["img"] == ["'self'", "data:", "https://twinning-public.objects.example.net"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"S3_PUBLIC_BUCKET": "media"}, "needs S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET"),
        ({"S3_PUBLIC_BUCKET": "media", "S3_PRIVATE_BUCKET": "media"}, "must differ"),
        (
            {"S3_PUBLIC_BUCKET": "a", "S3_PRIVATE_BUCKET": "b", "S3_ADDRESSING_STYLE": "dns"},
            "auto, path or virtual",
        ),
    ],
)
def test_s3_settings_refuse_an_unsafe_or_incomplete_configuration(variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        s3_media_settings(lambda name: variables.get(name, ""))


def test_s3_settings_without_credentials_leave_boto3_its_own_chain():
    variables = {"S3_PUBLIC_BUCKET": "a", "S3_PRIVATE_BUCKET": "b", "S3_PUBLIC_ACL": "none"}

    public, private, origins = s3_media_settings(lambda name: variables.get(name, ""))

    assert "access_key" not in public["OPTIONS"]
    assert "secret_key" not in private["OPTIONS"]
    assert public["OPTIONS"]["default_acl"] is None
    assert origins == ["https://a.s3.amazonaws.com", "https://a.s3.us-east-1.amazonaws.com"]
