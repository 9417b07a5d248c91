"""UPL-1: every hostile file is refused, with its own message, and leaves nothing
behind (no stored file, no temporary file, no 5xx)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tests.core.upload_corpus import malicious
from twinning.core.media import store_upload
from twinning.core.uploads import (
    IMAGE_LIMITS,
    MESSAGES,
    Kind,
    UploadLimits,
    inspect_upload,
)

CORPUS = malicious()
BASE = [sample for sample in CORPUS if " as '" not in sample.label]


def _upload(sample):
    return SimpleUploadedFile(sample.name, sample.data, content_type=sample.content_type)


def test_f1_the_corpus_covers_at_least_sixty_files_of_every_kind():
    assert len(CORPUS) >= 60
    for kind in Kind:
        assert any(sample.allowed == (kind,) for sample in CORPUS), kind


@pytest.mark.parametrize("sample", CORPUS, ids=lambda sample: sample.label)
def test_f1_hostile_file_is_refused_with_its_message_and_nothing_is_stored(sample, tmp_path):
    storage = FileSystemStorage(location=tmp_path)

    with pytest.raises(ValidationError) as caught:
        store_upload(_upload(sample), allowed=sample.allowed, limits=sample.limits, storage=storage)

    error = caught.value
    assert error.code == sample.code
    assert error.messages == [str(MESSAGES[sample.code]) % (error.params or {})]
    assert "%(" not in error.messages[0]
    assert list(tmp_path.iterdir()) == []


def test_f1_a_file_over_the_limit_is_refused_from_its_size_without_being_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read although the size was already over the limit")

    upload = Unreadable("big.jpg", b"")
    upload.size = IMAGE_LIMITS.max_bytes + 1

    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload, allowed=[Kind.IMAGE], limits=IMAGE_LIMITS)

    assert caught.value.code == "too_large"
    assert "20.0\xa0MB" in caught.value.messages[0]


def test_f1_reading_stops_one_byte_past_the_limit():
    class Counting(SimpleUploadedFile):
        consumed = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.consumed += len(chunk)
            return chunk

    upload = Counting("big.txt", b"x" * 5000)
    upload.size = None  # a stream that does not know its size

    with pytest.raises(ValidationError):
        inspect_upload(upload, allowed=[Kind.TEXT], limits=UploadLimits(max_bytes=100))

    assert Counting.consumed == 101


def test_f1_the_refusal_names_what_is_accepted():
    upload = SimpleUploadedFile("song.wav", b"GIF89a....", content_type="audio/wav")

    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload, allowed=[Kind.IMAGE, Kind.PDF], limits=IMAGE_LIMITS)

    message = caught.value.messages[0]
    assert "GIF" in message
    assert "JPEG, PNG or WebP" in message
    assert "PDF" in message


# An upload view of the kind the apps write, to check the whole request path: Django's
# upload handlers (temporary files), our pipeline, the answer.
@csrf_exempt
def _upload_view(request):
    sample = BASE[int(request.POST["index"])]
    storage = FileSystemStorage(location=request.META["TEST_STORAGE"])
    try:
        store_upload(
            request.FILES["file"], allowed=sample.allowed, limits=sample.limits, storage=storage
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return HttpResponse("stored")


urlpatterns = [path("test-only/upload/", _upload_view)]


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_uploads_malicious")
def test_f1_posting_each_hostile_file_gets_a_400_and_leaves_no_file_anywhere(
    client, settings, tmp_path
):
    temporary = tmp_path / "upload-tmp"
    stored = tmp_path / "stored"
    temporary.mkdir()
    stored.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes through a temporary file
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None

    for index, sample in enumerate(BASE):
        upload = SimpleUploadedFile(sample.name.replace("\x00", ""), sample.data)
        response = client.post(
            "/test-only/upload/", {"index": index, "file": upload}, TEST_STORAGE=str(stored)
        )

        assert response.status_code == 400, sample.label
        assert response.content.decode(), sample.label
        assert list(temporary.iterdir()) == [], sample.label
        assert list(stored.iterdir()) == [], sample.label
