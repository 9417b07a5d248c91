"""The impact figures as CSV and XLSX: one row per breakdown entry (year, sector, kind,
region, country), with the peer-learning outcome indicators (policies adopted, people
trained). Text cells are made formula-safe (INPUT-6): an apostrophe in CSV, a string-typed
cell in XLSX, and characters XML cannot hold removed."""

from collections.abc import Iterator
from typing import Any

from twinning.activities.impact import BREAKDOWNS, breakdown_titles
from twinning.core.exports import Sheet, csv_text, xlsx_bytes

COLUMNS = [
    "breakdown",
    "key",
    "label",
    "activities",
    "participants",
    "volunteer_hours",
    "money_raised",
    "money_spent",
    "policies_adopted",
    "people_trained",
]


def _rows_of(display: dict[str, Any], breakdown: str) -> Iterator[list[Any]]:
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
            row["policies_adopted"],
            row["people_trained"],
        ]


def figure_rows(display: dict[str, Any]) -> Iterator[list[Any]]:
    for breakdown in BREAKDOWNS:
        yield from _rows_of(display, breakdown)


def impact_csv(display: dict[str, Any]) -> str:
    return csv_text(COLUMNS, figure_rows(display))


def impact_xlsx(display: dict[str, Any]) -> bytes:
    """One sheet per breakdown, numbers as numbers (money as decimals, 2 places)."""
    titles = breakdown_titles()
    money = "#,##0.00"
    return xlsx_bytes(
        Sheet(
            title=titles[breakdown],
            header=COLUMNS[1:],
            rows=(row[1:] for row in _rows_of(display, breakdown)),
            number_formats={5: money, 6: money},
        )
        for breakdown in BREAKDOWNS
    )
