"""The import of partnership files (data/twin_cities.csv and files like it).

Every input row is imported, already present, or rejected with a reason and its line number,
and the figures add up: imported + already present + rejected = rows read (INPUT-8).
The whole import runs in one transaction, so a failure midway leaves the database as before.

Columns: city1,country1,lat1,lng1,city2,country2,lat2,lng2 or, without coordinates,
city1,country1,city2,country2 (communities are then placed at their gazetteer match).

Community identity is (country, name key, region), the model's unique constraint. The region is
the label's region hint ('England', 'Ohio, United States', 'Lower Saxony, Germany') or else the
gazetteer match's first-level region where GeoNames' codes map reliably (the US, GB, CH, BE,
ME), so Springfield, Illinois and Springfield, Missouri stay two communities. Elsewhere the
region stays blank: one name in one country is one community (in the real file, a name given
twice in one country with points far apart is a mis-geocoded listing of one place, and the
location check flags it). Two labels of one place ('Chişinău' with a cedilla and 'Chișinău'
with a comma below, 'Halle' and 'Halle (Saale)') are one community when both match the same
gazetteer place surely (within 50 km of their points) and their regions agree.

For speed on 25,000 rows the rows are written in bulk (`insert_rows`), not through the
per-object services; the run leaves one ImportRun row and one audit entry (C15) for the whole
import, and each partnership its first status-history entry.

The package's modules follow the run: `reading` (the file), `rows` (rows to sides), `places`
(identifying and creating communities), `pairs` (partnerships), `writing` (bulk inserts, the
report), `outcomes` (what the run reports) and `run` (`import_partnerships`, the whole import
in one transaction). Import from the package: every public name is here.
"""

from twinning.network.imports.outcomes import (
    BAD_COORDINATES,
    DUPLICATE,
    EMPTY_COUNTRY,
    EMPTY_NAME,
    FULL_COLUMNS,
    NAME_TOO_LONG,
    OUT_OF_RANGE,
    PLACEHOLDER_MATCH_KM,
    PLAIN_COLUMNS,
    SELF_PAIR,
    SOURCE,
    UNKNOWN_COUNTRY,
    WRONG_FIELDS,
    ImportFileError,
    ImportResult,
    LocationStatus,
    Outcome,
    Side,
)
from twinning.network.imports.reading import Row, read_rows
from twinning.network.imports.rows import KIND_WORDS, Rejected, community_kind
from twinning.network.imports.run import default_report_path, import_partnerships
from twinning.network.imports.writing import insert_rows, write_report

__all__ = [
    "BAD_COORDINATES",
    "DUPLICATE",
    "EMPTY_COUNTRY",
    "EMPTY_NAME",
    "FULL_COLUMNS",
    "KIND_WORDS",
    "NAME_TOO_LONG",
    "OUT_OF_RANGE",
    "PLACEHOLDER_MATCH_KM",
    "PLAIN_COLUMNS",
    "SELF_PAIR",
    "SOURCE",
    "UNKNOWN_COUNTRY",
    "WRONG_FIELDS",
    "ImportFileError",
    "ImportResult",
    "LocationStatus",
    "Outcome",
    "Rejected",
    "Row",
    "Side",
    "community_kind",
    "default_report_path",
    "import_partnerships",
    "insert_rows",
    "read_rows",
    "write_report",
]
