"""DOCX and XLSX through the upload pipeline: the derivative keeps the document's content and
loses its properties (author, comments, company) and thumbnail (UPL-3 for Office files)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.upload_corpus import CANARY, docx, docx_parts, office_zip
from twinning.core.uploads import OFFICE_LIMITS, Kind, inspect_upload, office_derivative


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_derivative_keeps_the_text_and_drops_the_author():
    source = docx("Twinning toolkit", author=CANARY)
    assert CANARY.encode() in b"".join(_parts(source).values())

    derived, mime = office_derivative(source, "DOCX")

    parts = _parts(derived)
    assert mime.endswith("wordprocessingml.document")
    assert CANARY.encode() not in b"".join(parts.values())
    assert b"Twinning toolkit" in parts["word/document.xml"]


def test_the_thumbnail_and_its_relationship_are_dropped():
    parts = docx_parts({"docProps/thumbnail.jpeg": b"\xff\xd8\xff" + CANARY.encode()})
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/package/2006/'
        b'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
    )

    derived, _ = office_derivative(office_zip(parts), "DOCX")

    kept = _parts(derived)
    assert "docProps/thumbnail.jpeg" not in kept
    assert b"thumbnail" not in kept["_rels/.rels"]


def test_a_docx_is_named_by_its_content_not_its_name():
    inspected = inspect_upload(
        SimpleUploadedFile("report.pdf", docx()), allowed=[Kind.DOCX], limits=OFFICE_LIMITS
    )

    assert (inspected.kind, inspected.extension) == (Kind.DOCX, "docx")
    assert inspected.display_name == "report.docx"
