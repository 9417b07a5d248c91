"""PDF: active content refused, and the derivative rebuilt without it."""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from django.core.exceptions import ValidationError

from twinning.core.uploads.policy import MAX_PDF_OBJECTS, Kind, UploadLimits, refuse

_PDF_FORBIDDEN = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/AA",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
}
# Raw names, including #xx-escaped spellings, anywhere outside compressed streams.
_PDF_RAW = re.compile(
    rb"/(JavaScript|JS|OpenAction|Launch|EmbeddedFiles?|AA|RichMedia|XFA|SubmitForm|ImportData)"
    rb"(?=[\s/<>\[\]()%{}]|$)"
)
_PDF_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}]*")


def _pdf_unescape(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)


def _forbidden_in(obj, found: set[str], depth: int = 0) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if depth > 100:
        raise refuse("pdf_too_complex")
    if isinstance(obj, IndirectObject):
        return  # every indirect object is visited on its own
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in _PDF_FORBIDDEN:
                found.add(key)
            if isinstance(value, NameObject) and value in _PDF_FORBIDDEN:
                found.add(str(value))
            _forbidden_in(value, found, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if isinstance(value, NameObject) and value in _PDF_FORBIDDEN:
                found.add(str(value))
            _forbidden_in(value, found, depth + 1)


def _open_pdf(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                raise refuse("pdf_encrypted")
            return reader
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
    ) as error:
        raise refuse("pdf_invalid") from error
    except RecursionError as error:
        raise refuse("pdf_too_complex") from error


def _pdf_object_refs(reader) -> list[Any]:
    from pypdf.generic import IndirectObject

    refs: list[Any] = []
    for generation, table in reader.xref.items():
        refs.extend(IndirectObject(number, generation, reader) for number in table)
    refs.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    return refs


def _scan_pdf(reader) -> set[str]:
    """Every forbidden name used as a key, type or action anywhere in the document, including
    inside compressed object streams."""
    from pypdf.errors import PyPdfError

    found: set[str] = set()
    refs = _pdf_object_refs(reader)
    if len(refs) > MAX_PDF_OBJECTS:
        raise refuse("pdf_too_complex")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _forbidden_in(reader.trailer, found)
            for ref in refs:
                obj = ref.get_object()
                _forbidden_in(obj, found)
    except ValidationError:
        raise
    except PyPdfError as error:
        if type(error).__name__ == "LimitReachedError":
            raise refuse("pdf_too_complex") from error
        raise refuse("pdf_invalid") from error
    except RecursionError as error:
        raise refuse("pdf_too_complex") from error
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        raise refuse("pdf_invalid") from error
    return found


def _check_pdf(data: bytes, limits: UploadLimits) -> None:
    raw = set()
    for match in _PDF_RAW.finditer(data):
        raw.add("/" + match.group(1).decode())
    for match in _PDF_ESCAPED_NAME.finditer(data):
        name = _pdf_unescape(match.group(0)).decode("latin-1")
        if name in _PDF_FORBIDDEN:
            raw.add(name)
    if raw:
        raise refuse("pdf_active_content", what=", ".join(sorted(raw)))
    reader = _open_pdf(data)
    found = _scan_pdf(reader)
    if found:
        raise refuse("pdf_active_content", what=", ".join(sorted(found)))
    try:
        pages = len(reader.pages)
    except Exception as error:
        raise refuse("pdf_invalid") from error
    if pages < 1:
        raise refuse("pdf_invalid")
    if pages > limits.max_pages:
        raise refuse("pdf_too_many_pages", pages=pages, limit=limits.max_pages)


_PAGE_KEYS_DROPPED = ("/Annots", "/AA", "/Metadata", "/PieceInfo", "/B", "/StructParents")
_ANY_KEYS_DROPPED = (
    "/Metadata",
    "/PieceInfo",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EmbeddedFiles",
    "/Launch",
)


def pdf_derivative(data: bytes, *, max_pages: int = 50) -> tuple[bytes, str]:
    """(bytes, "application/pdf"): the pages copied into a fresh document without the Info
    dictionary, XMP, scripts, actions, annotations, forms or attachments (UPL-3, PRIV-9)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    reader = _open_pdf(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            writer = PdfWriter()
            for number, page in enumerate(reader.pages):
                if number >= max_pages:
                    break
                added = writer.add_page(page)
                for key in _PAGE_KEYS_DROPPED:
                    added.pop(NameObject(key), None)
            for obj in writer._objects:
                if isinstance(obj, DictionaryObject):
                    for key in _ANY_KEYS_DROPPED:
                        obj.pop(NameObject(key), None)
            for key in ("/Names", "/AcroForm", "/OpenAction", "/AA", "/Metadata", "/Outlines"):
                writer._root_object.pop(NameObject(key), None)
            writer._info = None
            out = io.BytesIO()
            writer.write(out)
    except ValidationError:
        raise
    except Exception as error:
        raise refuse("reencode_failed", accepted=Kind.PDF.label) from error
    result = out.getvalue()
    check = _open_pdf(result)
    if _scan_pdf(check) or check.metadata:
        raise refuse("reencode_failed", accepted=Kind.PDF.label)
    return result, "application/pdf"
