"""Media on S3-compatible storage through django-storages, when MEDIA_STORAGE=s3 (settings.py).

* `PublicS3Storage` is the default storage (the association's logo, anything public): objects
  anyone may read, at plain unsigned URLs on the bucket's own origin, which the pages' CSP
  allows in img-src (checked by `manage.py check`, twinning/core/checks.py). A separate origin
  for user-supplied files is what Django's own docs recommend.
* `PrivateS3Storage` holds originals, derivatives, PDFs and exports. Every object is written
  with the `private` ACL and has no URL at all: `url()` raises, as on the local disk.

Why private files are streamed through our views rather than handed out as presigned URLs:

- a presigned URL is a bearer capability. While it lives it works for whoever holds it, so a
  download would no longer re-check permission (UPL-5), and a withdrawn consent or an ended judge
  assignment would not take effect on the next request (ACC-5);
- S3 cannot send the headers UPL-4 requires. Query parameters can override Content-Type,
  Content-Disposition and Cache-Control, but not `X-Content-Type-Options: nosniff`, the
  sandboxing Content-Security-Policy, Cross-Origin-Resource-Policy or Referrer-Policy.

So `media_response` (twinning/core/media.py) serves them as from the local disk, permission
checked by the view, with the same headers; `open_stream` hands it the body of one GET, read
in chunks, never held whole in memory.
"""

from typing import Any

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

_MISSING = {"NoSuchKey", "404", "NotFound"}


class _StreamingS3Storage(S3Storage):
    def open_stream(self, name: str) -> tuple[Any, int]:
        """(a file-like body, its size in bytes) of one stored object, for a streamed
        response; FileNotFoundError when there is no such object."""
        key = self._normalize_name(clean_name(name))
        try:
            response = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(name) from error
            raise
        return response["Body"], int(response["ContentLength"])


class PublicS3Storage(_StreamingS3Storage):
    """Public media: readable by anyone at a stable, unsigned URL."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.querystring_auth = False  # a signed URL would expire inside cached pages


class PrivateS3Storage(_StreamingS3Storage):
    """Private media: objects with the `private` ACL, no URL, served only by our views (UPL-5)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        # Whatever OPTIONS say: nothing here may ever be readable without our views.
        self.default_acl = "private"
        self.custom_domain = None
        # Names are fresh UUIDs (media.store_bytes), so there is nothing to overwrite, and
        # skipping the check saves a request per file stored.
        self.file_overwrite = True

    def url(self, name: str, *args: Any, **kwargs: Any) -> str:
        raise ValueError("private files have no URL; serve them with media_response()")
