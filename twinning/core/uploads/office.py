"""Office documents (DOCX, XLSX): recognised from the ZIP's parts, refused when they carry
macros, embedded programs or remote templates, and rebuilt without their metadata.

A DOCX or XLSX is a ZIP of XML parts (Office Open XML). The checks read the ZIP's directory
and at most `MAX_OFFICE_UNPACKED` bytes of parts, so a ZIP bomb is refused from its declared
sizes and again while reading (a lying directory cannot get past the cap). XML with a DOCTYPE
(entity expansion, external entities) is refused: Office never writes one.

The derivative copies every part into a fresh ZIP, except the document properties (author,
company, manager, custom properties, thumbnails), which are replaced by empty ones. Names in
comments and tracked changes are part of the document's content and stay (docs/apps/uploads.md).
"""

from __future__ import annotations

import io
import re
import zipfile

from twinning.core.uploads.policy import MB, Kind, refuse

MAX_OFFICE_PARTS = 5_000
MAX_OFFICE_UNPACKED = 200 * MB
# (main part, its content type suffix) -> format name in sniffing._FORMATS.
_MAIN_PARTS = {
    "word/document.xml": "DOCX",
    "xl/workbook.xml": "XLSX",
}
_MAIN_TYPES = {
    "DOCX": "wordprocessingml.document.main+xml",
    "XLSX": "spreadsheetml.sheet.main+xml",
}
# Parts that hold programs or other files, whatever the document's type says.
_ACTIVE_PARTS = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/|embeddings/|attachedToolbars\.bin)",
    re.IGNORECASE,
)
# Relationships that fetch something from elsewhere when the document opens.
_REMOTE_RELATIONSHIP = re.compile(
    rb'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument|externalLinkPath)"'
    rb'[^>]*TargetMode="External"|TargetMode="External"[^>]*Type="[^"]*/'
    rb'(attachedTemplate|oleObject|frame|subDocument|externalLinkPath)"',
    re.IGNORECASE,
)
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_METADATA_PARTS = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'custom-properties"/>'
    ),
}
_THUMBNAIL = re.compile(r"^docProps/thumbnail\.", re.IGNORECASE)
_THUMBNAIL_RELATIONSHIP = re.compile(
    rb'<Relationship[^>]*Target="/?docProps/thumbnail\.[^"]*"[^>]*/>', re.IGNORECASE
)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise refuse("office_invalid") from error


def office_format(data: bytes) -> str | None:
    """ "DOCX" or "XLSX" when `data` is a ZIP holding that document's main part, else None.
    Reads the ZIP's directory only."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((fmt for part, fmt in _MAIN_PARTS.items() if part in names), None)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """A part's bytes, counted against the unpacked budget while reading."""
    chunks = []
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(1024 * 1024):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise refuse("office_too_complex")
                chunks.append(chunk)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise refuse("office_invalid") from error
    return b"".join(chunks)


def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every part with its bytes, after the directory checks (count, sizes, names, encryption)."""
    archive = _open_zip(data)
    infos = archive.infolist()
    if len(infos) > MAX_OFFICE_PARTS:
        raise refuse("office_too_complex")
    if sum(info.file_size for info in infos) > MAX_OFFICE_UNPACKED:
        raise refuse("office_too_complex")
    seen = set()
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
            raise refuse("office_invalid")
        if name.lower() in seen:
            raise refuse("office_invalid")  # two parts of one name: readers disagree on which
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise refuse("office_encrypted")
    budget = [MAX_OFFICE_UNPACKED]
    return [(info, _read_part(archive, info, budget)) for info in infos if not info.is_dir()]


def _check_office(data: bytes, found: str) -> list[tuple[zipfile.ZipInfo, bytes]]:
    parts = _parts(data)
    by_name = {info.filename: content for info, content in parts}
    types = by_name.get("[Content_Types].xml", b"")
    if b"macroEnabled" in types or any(_ACTIVE_PARTS.search(name) for name in by_name):
        raise refuse("office_active_content")
    if _MAIN_TYPES[found].encode() not in types:
        raise refuse("office_invalid")
    for name, content in by_name.items():
        if name.endswith((".xml", ".rels")):
            if _DOCTYPE.search(content):
                raise refuse("office_invalid")
            if name.endswith(".rels") and _REMOTE_RELATIONSHIP.search(content):
                raise refuse("office_active_content")
    return parts


def office_derivative(data: bytes, found: str) -> tuple[bytes, str]:
    """The document rebuilt part by part into a fresh ZIP, its properties emptied and its
    thumbnail (a picture of the first page, which may show what was deleted) dropped with its
    relationship; (bytes, mime)."""
    parts = _check_office(data, found)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, content in parts:
            name = info.filename
            if _THUMBNAIL.match(name):
                continue
            kept = _THUMBNAIL_RELATIONSHIP.sub(b"", content) if name == "_rels/.rels" else content
            archive.writestr(name, _METADATA_PARTS.get(name, kept))
    return out.getvalue(), OFFICE_MIMES[found]


OFFICE_MIMES = {
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_KINDS = {"DOCX": Kind.DOCX, "XLSX": Kind.XLSX}
