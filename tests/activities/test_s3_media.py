"""Activities' PDFs and photos on S3-compatible storage (a local moto server, tests/s3.py):
written to the private bucket by the background task, downloaded through the committee's
permission-checking view, replaced without leaving the old object behind."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from tests.factories.activities import TravellerFactory
from twinning.activities import services
from twinning.activities.models import InvitationLetter


def test_s3_invitation_letter_is_written_to_the_private_bucket_and_downloaded(
    s3_media, delegation, committee_admin, committee_admin_user, django_capture_on_commit_callbacks
):
    traveller = TravellerFactory(activity=delegation, name="Ana Mayor")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)
    letter = InvitationLetter.objects.get(traveller=traveller)

    response = committee_admin.get(
        reverse(
            "activities:portal_letter_download",
            kwargs={
                "slug": delegation.member.slug,
                "pk": delegation.pk,
                "traveller": traveller.pk,
            },
        )
    )

    body = b"".join(response.streaming_content)
    assert s3_media.private_keys("activities/letters/") == [letter.file_name]
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Ana Mayor" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_s3_rebuilding_a_letter_deletes_the_old_object(
    s3_media, delegation, committee_admin_user, django_capture_on_commit_callbacks
):
    traveller = TravellerFactory(activity=delegation)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.build_invitation_letter(letter=InvitationLetter.objects.get(traveller=traveller))

    assert s3_media.private_keys("activities/letters/") == [
        InvitationLetter.objects.get(traveller=traveller).file_name
    ]


def test_s3_photo_derivatives_go_to_the_private_bucket_only(
    s3_media, activity, committee_admin_user
):
    from tests.showcase.media import png_bytes

    photo = services.add_photo(
        activity=activity,
        upload=SimpleUploadedFile("choir.png", png_bytes(), content_type="image/png"),
        caption="The choir",
        by=committee_admin_user,
    )

    assert photo.display_file in s3_media.private_keys("activities/")
    assert s3_media.keys(s3_media.public_bucket) == []
