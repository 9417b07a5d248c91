"""The showcase's media on S3-compatible storage (a local moto server, tests/s3.py): an
upload through the student's page, its derivatives made by the task, served through the
permission-checking view with the UPL-4 headers; erasure (PRIV-11), retention (PRIV-10) and
the sweep for orphaned files leave no object behind; nothing in the private bucket is readable
without our views (UPL-5)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.showcase.media import png_bytes, upload
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.privacy import (
    apply_edition_retention,
    execute_erasure,
    request_erasure,
    retention_due_on,
)
from twinning.showcase.services import submit_entry


@pytest.fixture
def s3_entry(s3_media, student_client, edition, django_capture_on_commit_callbacks):
    """An entry created through the student's page, its derivatives made on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(
            reverse("showcase:entry_create", kwargs={"edition": edition.slug}),
            {
                "category": edition.categories.get(slug="photography").pk,
                "title": "Harbour at dusk",
                "statement": "About bridges",
                "alt_text": "Boats in a harbour",
                "upload": upload(png_bytes(gps=True), "harbour.jpg"),
            },
        )
    assert response.status_code == 302
    return Entry.objects.get(title="Harbour at dusk")


def test_s3_upload_stores_the_original_and_its_derivatives_in_the_private_bucket(
    s3_media, s3_entry
):
    work_file = EntryFile.objects.get(entry=s3_entry)

    assert s3_entry.media_status == Entry.MediaStatus.READY
    assert s3_media.private_keys() == sorted(work_file.storage_names())
    assert s3_media.private_keys("showcase/originals/") == [work_file.original_name]
    assert s3_media.keys(s3_media.public_bucket) == []


def test_s3_derivative_is_streamed_through_the_view_with_the_media_headers(
    s3_media, s3_entry, student_client
):
    work_file = EntryFile.objects.get(entry=s3_entry)
    stored = s3_media.client.get_object(
        Bucket=s3_media.private_bucket, Key=work_file.derivative_name
    )["Body"].read()

    response = student_client.get(
        reverse("showcase:entry_media", kwargs={"entry_id": s3_entry.pk, "variant": "display"})
    )

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body == stored
    assert body[:4] == b"RIFF"  # WebP, re-encoded
    assert b"Canary Artist" not in body
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Length"] == str(len(stored))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(("role", "status"), [("other_student_client", 404), ("anonymous", 302)])
def test_s3_media_view_refuses_other_roles(request, s3_entry, role, status):
    client = request.getfixturevalue(role)

    response = client.get(
        reverse("showcase:entry_media", kwargs={"entry_id": s3_entry.pk, "variant": "original"})
    )

    assert response.status_code == status


def test_s3_private_objects_cannot_be_read_from_the_bucket_anonymously(s3_media, s3_entry):
    work_file = EntryFile.objects.get(entry=s3_entry)

    statuses = {
        name: s3_media.anonymous_get(f"{s3_media.endpoint}/{s3_media.private_bucket}/{name}")[0]
        for name in work_file.storage_names()
    }

    assert set(statuses.values()) == {403}
    grants = s3_media.client.get_object_acl(
        Bucket=s3_media.private_bucket, Key=work_file.original_name
    )["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no AuthUsers


def test_s3_erasure_deletes_the_objects_from_the_bucket(
    s3_media, s3_entry, student, staff_user, django_capture_on_commit_callbacks
):
    erasure = request_erasure(student=student, requested_by="student")
    assert len(s3_media.private_keys("showcase/")) == 3

    with django_capture_on_commit_callbacks(execute=True):
        execute_erasure(request=erasure, by=staff_user)

    assert s3_media.private_keys() == []


def test_s3_retention_deletes_the_objects_from_the_bucket(
    s3_media, s3_entry, student, edition, django_capture_on_commit_callbacks
):
    submit_entry(entry=s3_entry, by=student.user)
    day = retention_due_on(edition) + datetime.timedelta(days=1)
    assert len(s3_media.private_keys("showcase/")) == 3

    with (
        time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reduced = apply_edition_retention(edition=edition, today=day)

    assert reduced == 1
    assert s3_media.private_keys() == []


def test_s3_sweep_deletes_an_orphaned_object_and_keeps_the_entrys(s3_media, s3_entry):
    from twinning.core.media import store_bytes
    from twinning.core.orphans import sweep_orphans

    orphan = store_bytes(b"left by a crash", extension="jpg", folder="showcase/originals")
    kept = sorted(EntryFile.objects.get(entry=s3_entry).storage_names())

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)):
        deleted = sweep_orphans()

    assert deleted == [orphan]
    assert s3_media.private_keys() == kept
