"""Serving the app's private files (letters, photos, reports) once a view has checked who
asks: through `media_response`, with the UPL-4 headers and no caching (HDR-4, UPL-5)."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify

from twinning.activities.models import AnnualReport, InvitationLetter, Photo
from twinning.core.media import media_response, private_storage

PHOTO_SIZES = ("display", "thumb")


def letter_response(letter: InvitationLetter) -> HttpResponse:
    name = slugify(letter.traveller.name) or "traveller"
    return media_response(
        private_storage,
        letter.file_name,
        content_type="application/pdf",
        download_name=f"invitation-{name}.pdf",
        inline=False,
    )


def photo_response(photo: Photo, size: str) -> HttpResponse:
    if size not in PHOTO_SIZES:
        raise Http404
    name, mime = (
        (photo.display_file, photo.content_type)
        if size == "display"
        else (photo.thumb_file, photo.thumb_content_type)
    )
    return media_response(
        private_storage, name, content_type=mime, download_name=photo.display_name, inline=True
    )


def report_response(report: AnnualReport) -> HttpResponse:
    return media_response(
        private_storage,
        report.file_name,
        content_type="application/pdf",
        download_name=f"annual-report-{report.year}.pdf",
        inline=False,
    )
