"""UPL-4 (serving headers), UPL-5 (private storage has no URL) and the storage helpers
of twinning/core/media.py; UPL-7 quotas."""

from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage
from django.http import Http404
from django.urls import path

from twinning.core.media import (
    MEDIA_CSP,
    PrivateFileSystemStorage,
    delete_stored,
    media_response,
    private_storage,
    store_bytes,
)
from twinning.core.uploads import check_quota


@pytest.fixture
def storage():
    return InMemoryStorage()


def _serve(storage, content_type, download_name="work.webp", inline=True, **options):
    name = store_bytes(b"content", extension="bin", storage=storage)
    return media_response(
        storage,
        name,
        content_type=content_type,
        download_name=download_name,
        inline=inline,
        **options,
    )


@pytest.mark.parametrize(
    ("content_type", "inline", "disposition"),
    [
        ("image/webp", True, "inline"),
        ("image/jpeg", True, "inline"),
        ("audio/ogg", True, "inline"),
        ("image/webp", False, "attachment"),
        ("application/pdf", True, "attachment"),
        ("text/plain", True, "attachment"),
        ("text/html", True, "attachment"),
        ("image/svg+xml", True, "attachment"),
    ],
)
def test_f4_media_response_sets_the_safe_headers(storage, content_type, inline, disposition):
    response = _serve(storage, content_type, inline=inline)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith(disposition + ";")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["Content-Type"].startswith(content_type)
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"content"


def test_f4_text_is_served_with_its_charset(storage):
    assert _serve(storage, "text/plain")["Content-Type"] == "text/plain; charset=utf-8"


def test_f4_download_name_is_rfc_6266_encoded_and_takes_the_served_extension(storage):
    response = _serve(storage, "application/pdf", download_name='Zoë "consent"\u202eexe.pdf.exe')

    header = response["Content-Disposition"]
    header.encode("ascii")  # nothing but ASCII in the header itself
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert fallback == "Zoe _consent_exe.pdf.pdf"
    assert unquote(encoded) == "Zoë _consent_exe.pdf.pdf"


def test_f4_published_media_may_ask_for_another_cache_policy(storage):
    response = _serve(storage, "image/webp", cache_control="public, max-age=3600")

    assert response["Cache-Control"] == "public, max-age=3600"


def test_f4_a_missing_file_is_a_404(storage):
    with pytest.raises(Http404):
        media_response(
            storage, "gone.webp", content_type="image/webp", download_name="x", inline=True
        )


_served = InMemoryStorage()


def _media_view(request):
    name = store_bytes(b"<html><script>alert(1)</script>", extension="txt", storage=_served)
    return media_response(
        _served, name, content_type="text/plain", download_name="poem.txt", inline=True
    )


urlpatterns = [path("test-only/media/", _media_view)]


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_media")
def test_f4_headers_survive_the_middleware(client):
    response = client.get("/test-only/media/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == MEDIA_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_store_bytes_names_files_with_a_fresh_uuid(storage):
    first = store_bytes(b"a", extension="webp", storage=storage, folder="showcase/entries")
    second = store_bytes(b"a", extension="webp", storage=storage, folder="showcase/entries")

    assert first != second
    for name in (first, second):
        folder, file_name = name.rsplit("/", 1)
        assert folder == "showcase/entries"
        assert len(file_name) == len("0123456789abcdef0123456789abcdef.webp")
        assert storage.open(name).read() == b"a"


@pytest.mark.parametrize("extension", ["", "PHP", "jpg.php", "../x", "a" * 9])
def test_store_bytes_refuses_an_extension_that_is_not_ours(storage, extension):
    with pytest.raises(ValueError):
        store_bytes(b"a", extension=extension, storage=storage)


@pytest.mark.parametrize("folder", ["../up", "a/../b", "Upper", "a b", "/abs/../x"])
def test_store_bytes_refuses_a_folder_that_could_escape(storage, folder):
    with pytest.raises(ValueError):
        store_bytes(b"a", extension="txt", storage=storage, folder=folder)


def test_delete_stored_removes_files_and_ignores_missing_ones(storage):
    name = store_bytes(b"a", extension="txt", storage=storage)

    delete_stored(storage, [name, "never-existed.txt", ""])

    assert not storage.exists(name)


def test_f5_private_storage_has_no_url(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path)
    name = store_bytes(b"a", extension="pdf", storage=storage)

    with pytest.raises(ValueError):
        storage.url(name)


def test_f5_private_media_root_is_outside_the_public_media_root():
    from twinning import settings as production

    private = production.STORAGES["private"]
    assert private["BACKEND"] == "twinning.core.media.PrivateFileSystemStorage"
    assert private["OPTIONS"]["location"] == production.PRIVATE_MEDIA_ROOT
    assert not production.PRIVATE_MEDIA_ROOT.is_relative_to(production.MEDIA_ROOT)
    assert not production.PRIVATE_MEDIA_ROOT.is_relative_to(production.STATIC_ROOT)


def test_private_storage_is_the_configured_private_backend():
    store_bytes(b"a", extension="txt")  # default storage argument
    assert private_storage.listdir("")[1]


def test_f7_one_file_too_many_is_refused():
    check_quota(files=9, total_bytes=0, adding_bytes=10, max_files=10, max_total_bytes=100)

    with pytest.raises(ValidationError) as caught:
        check_quota(files=10, total_bytes=0, adding_bytes=10, max_files=10, max_total_bytes=100)

    assert caught.value.code == "quota_files"
    assert "10 files" in caught.value.messages[0]


def test_f7_going_over_the_bytes_quota_is_refused():
    check_quota(files=1, total_bytes=90, adding_bytes=10, max_files=10, max_total_bytes=100)

    with pytest.raises(ValidationError) as caught:
        check_quota(files=1, total_bytes=90, adding_bytes=11, max_files=10, max_total_bytes=100)

    assert caught.value.code == "quota_bytes"
