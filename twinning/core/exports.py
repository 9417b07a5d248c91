"""Formula-safe spreadsheets (INPUT-6), the one copy every app's CSV and XLSX use.

A text cell a spreadsheet program could read as a formula ("=", "+", "-", "@", a tab, a
carriage return, a NUL) is neutralised: in CSV it gets a leading apostrophe (`safe_cell`), in
XLSX it is written as a string-typed cell (never a formula) with the characters XML cannot
hold removed. Numbers, dates and empty values pass as they are.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_SHEET_TITLE_UNSAFE = re.compile(r"[\\*?:/\[\]]")
BOM = "\ufeff"  # a byte-order mark so spreadsheet programs read UTF-8 names correctly


def starts_formula(value: Any) -> bool:
    """Whether a spreadsheet program could read this text as a formula (what imports refuse
    and exports neutralise)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers and empty values pass as they are."""
    if starts_formula(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True
) -> Iterator[str]:
    """The CSV file line by line (for a StreamingHttpResponse), every cell made safe; None is
    an empty cell."""
    writer = csv.writer(_Echo())
    if bom:
        yield BOM
    yield writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        yield writer.writerow(["" if value is None else safe_cell(value) for value in row])


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """The whole CSV file as one string; see `csv_lines`."""
    out = io.StringIO()
    for line in csv_lines(header, rows, bom=bom):
        out.write(line)
    return out.getvalue()


@dataclass
class Sheet:
    """One worksheet of `xlsx_bytes`: a title (cut to Excel's 31 characters and rid of the
    characters it refuses), a header row, the rows, and number formats by column index."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    number_formats: dict[int, str] = field(default_factory=dict)


def xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """A write-only cell: text typed as a string (openpyxl would make "=…" a formula), with
    the characters XML cannot hold removed; anything else as its own type."""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = TYPE_STRING
    return cell


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook of these sheets, streamed row by row (write-only mode)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        title = _SHEET_TITLE_UNSAFE.sub("", str(spec.title))[:31] or "Sheet"
        sheet = workbook.create_sheet(title=title)
        sheet.append([xlsx_cell(sheet, str(value)) for value in spec.header])
        for row in spec.rows:
            cells = [xlsx_cell(sheet, value) for value in row]
            for index, number_format in spec.number_formats.items():
                cells[index].number_format = number_format
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
