"""Small helpers the showcase's views share: the JSON download and media serving."""

import json
from typing import Any

from django.http import Http404, HttpResponse

from twinning.core.media import media_response, private_storage
from twinning.showcase.models import EntryFile


def json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


VARIANTS = ("original", "display", "thumb")


def serve_entry_file(work_file: EntryFile | None, variant: str) -> HttpResponse:
    """The original (private, owner and staff only) or a derivative, with UPL-4's headers."""
    if work_file is None or variant not in VARIANTS:
        raise Http404
    name, mime = {
        "original": (work_file.original_name, work_file.original_mime),
        "display": (work_file.derivative_name, work_file.derivative_mime),
        "thumb": (work_file.thumb_name, work_file.thumb_mime),
    }[variant]
    if not name or not private_storage.exists(name):
        raise Http404
    inline = mime.startswith(("image/", "audio/"))
    download = (
        work_file.display_name if variant == "original" else f"work.{name.rsplit('.', 1)[-1]}"
    )
    return media_response(
        private_storage, name, content_type=mime, download_name=download, inline=inline
    )
