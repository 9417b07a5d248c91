"""What an import reports: the reason codes of rejected rows, each row's outcome and the
figures of the whole run (INPUT-8: imported + already present + rejected = rows read)."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from twinning.network.models import (
    Community,
    ImportRun,
)

SOURCE = "wikipedia:twin_cities.csv"
FULL_COLUMNS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
PLAIN_COLUMNS = ["city1", "country1", "city2", "country2"]
PLACEHOLDER_MATCH_KM = 10.0

LocationStatus = Community.LocationStatus

# Reason codes (the summary groups by them; the report gives the detail).
EMPTY_NAME = "empty name"
UNKNOWN_COUNTRY = "unknown country label"
EMPTY_COUNTRY = "empty country label"
BAD_COORDINATES = "coordinates not numbers"
OUT_OF_RANGE = "coordinates out of range"
SELF_PAIR = "same place on both sides"
DUPLICATE = "duplicate listing"
WRONG_FIELDS = "wrong number of fields"
NAME_TOO_LONG = "name too long"


class ImportFileError(Exception):
    """The file cannot be imported at all (the command shows the message in one line)."""


@dataclass
class Side:
    name: str
    code: str
    region_hint: str
    point: tuple[float, float] | None
    label: str  # raw 'name, country label'
    note: str = ""


@dataclass
class Outcome:
    line: int
    outcome: str  # created | already_present | rejected
    reason: str
    raw: list[str]
    code: str = ""


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    created: int
    already_present: int
    rows_read: int = 0
    run: ImportRun | None = None
    rejected: Counter = field(default_factory=Counter)
    communities_created: int = 0
    locations: Counter = field(default_factory=Counter)
    unplaced: list[str] = field(default_factory=list)
    report_path: Path | None = None

    def summary_lines(self) -> list[str]:
        rejected = sum(self.rejected.values())
        lines = [
            f"Rows read:            {self.rows_read}",
            f"Partnerships created: {self.created}",
            f"Already present:      {self.already_present}",
            f"Rejected:             {rejected}",
        ]
        lines += [f"  {reason}: {n}" for reason, n in self.rejected.most_common()]
        lines.append(f"Communities created:  {self.communities_created}")
        if self.locations:
            lines.append("Location checks of the new communities:")
            lines += [f"  {status}: {n}" for status, n in self.locations.most_common()]
        if self.unplaced:
            lines.append(f"Communities that could not be placed: {len(self.unplaced)}")
        if self.report_path:
            lines.append(f"Report: {self.report_path}")
        return lines
