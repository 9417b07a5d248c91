"""The impact figures as CSV and XLSX: one row per breakdown entry (year, sector, kind,
region, country). Text cells are made formula-safe (RELIABILITY E6): an apostrophe in CSV, a
string-typed cell in XLSX, and characters XML cannot hold removed."""

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from twinning.activities.impact import BREAKDOWNS, breakdown_titles
from twinning.network.exports import safe_cell

_SHEET_UNSAFE = re.compile(r"[\\*?:/\[\]]")
COLUMNS = [
    "breakdown",
    "key",
    "label",
    "activities",
    "participants",
    "volunteer_hours",
    "money_raised",
    "money_spent",
]


def figure_rows(display: dict[str, Any]) -> Iterator[list[Any]]:
    for breakdown in BREAKDOWNS:
        for row in display[breakdown]:
            yield [
                breakdown.removeprefix("by_"),
                str(row["key"]),
                str(row["label"]),
                row["activities"],
                row["participants"],
                row["volunteer_hours"],
                row["money_raised"],
                row["money_spent"],
            ]


def impact_csv(display: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")  # a byte-order mark so spreadsheet programs read UTF-8 names correctly
    writer.writerow(COLUMNS)
    for row in figure_rows(display):
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet)
    # Assigning text that starts with "=" makes openpyxl write a formula: force a string.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    return cell


def impact_xlsx(display: dict[str, Any]) -> bytes:
    """One sheet per breakdown, numbers as numbers (money as decimals, 2 places)."""
    workbook = Workbook(write_only=True)
    titles = breakdown_titles()
    for breakdown in BREAKDOWNS:
        sheet = workbook.create_sheet(title=_SHEET_UNSAFE.sub("", titles[breakdown])[:31])
        sheet.append([_xlsx_cell(sheet, column) for column in COLUMNS[1:]])
        for row in display[breakdown]:
            values = [
                str(row["key"]),
                str(row["label"]),
                row["activities"],
                row["participants"],
                row["volunteer_hours"],
                row["money_raised"],
                row["money_spent"],
            ]
            cells = [_xlsx_cell(sheet, value) for value in values]
            cells[5].number_format = cells[6].number_format = "#,##0.00"
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
