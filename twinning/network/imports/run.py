"""The import as one run: read, parse, identify, then write everything in one transaction
with its ImportRun row, its audit entry and its report."""

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from twinning.core.authz import acting_user
from twinning.core.services import log_activity
from twinning.network import geo
from twinning.network.countries import ensure_countries
from twinning.network.imports.outcomes import (
    SOURCE,
    WRONG_FIELDS,
    ImportResult,
    Outcome,
    Side,
)
from twinning.network.imports.pairs import _create_partnerships, _pair
from twinning.network.imports.places import _create_communities, _identify, _Place, _resolve
from twinning.network.imports.reading import Row, read_rows
from twinning.network.imports.rows import Rejected, _side
from twinning.network.imports.writing import write_report
from twinning.network.mapdata import invalidate_map_data
from twinning.network.models import (
    ImportRun,
)
from twinning.network.queries import invalidate_network_stats


def default_report_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "imports" / f"{stamp}.csv"


def import_partnerships(
    path: str | Path,
    *,
    report_path: str | Path | None = None,
    by: Any = None,
    source: str = SOURCE,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import a partnership file (see the module docstring). Raises ImportFileError for a file
    that cannot be imported; otherwise every row ends in the result's outcomes."""
    path = Path(path)
    columns, rows = read_rows(path)
    geo.borders()  # fail early, with its message, if the border file is missing
    report = Path(report_path) if report_path else default_report_path()
    outcomes: dict[int, Outcome] = {}
    sides = _parse(columns, rows, outcomes)
    places = _identify(sides, progress)
    with transaction.atomic():
        raw = {line: values for line, values, _ok in rows}
        result = _write(places, sides, raw, outcomes, source=source)
        result.rows_read = len(rows)
        result.report_path = report
        result.run = _record_run(path, result, report, by)
        write_report(report, result.outcomes, columns)
        # Bulk inserts bypass the services, so the cached figures and map data are told here.
        transaction.on_commit(invalidate_network_stats)
        transaction.on_commit(invalidate_map_data)
    if result.created + result.already_present + sum(result.rejected.values()) != len(rows):
        raise RuntimeError("import figures do not add up")  # pragma: no cover - INPUT-8 guard
    return result


def _parse(columns: list[str], rows: list[Row], outcomes: dict[int, Outcome]) -> dict:
    """line -> its two sides; rows that cannot be read are put in `outcomes` as rejected."""
    sides: dict[int, tuple[Side, Side]] = {}
    for line, values, well_formed in rows:
        if not well_formed:
            detail = f"{WRONG_FIELDS}: {len(values)}"
            outcomes[line] = Outcome(line, "rejected", detail, values, WRONG_FIELDS)
            continue
        row = dict(zip(columns, values, strict=True))
        try:
            sides[line] = (
                _side(row["city1"], row["country1"], row.get("lat1"), row.get("lng1")),
                _side(row["city2"], row["country2"], row.get("lat2"), row.get("lng2")),
            )
        except Rejected as rejection:
            outcomes[line] = Outcome(line, "rejected", rejection.detail, values, rejection.code)
    return sides


def _record_run(path: Path, result: ImportResult, report: Path, by: Any) -> ImportRun:
    """The ImportRun row and the one audit entry of the whole import (C15)."""
    run = ImportRun.objects.create(
        source_name=str(path)[:300],
        started_by=acting_user(by),
        rows_read=result.rows_read,
        created=result.created,
        already_present=result.already_present,
        rejected=sum(result.rejected.values()),
        communities_created=result.communities_created,
        rejected_by_reason=dict(result.rejected),
        report_path=str(report)[:500],
        succeeded=True,
        message="\n".join(result.summary_lines()),
    )
    log_activity(
        run,
        "network.import.completed",
        by=by,
        data={
            "file": path.name,
            "rows_read": result.rows_read,
            "created": result.created,
            "already_present": result.already_present,
            "rejected": dict(result.rejected),
            "communities_created": result.communities_created,
        },
    )
    return run


def _write(
    places: dict[tuple, _Place],
    sides: dict[int, tuple[Side, Side]],
    raw: dict[int, list[str]],
    outcomes: dict[int, Outcome],
    *,
    source: str,
) -> ImportResult:
    codes = {p.key[0] for p in places.values()}
    countries = ensure_countries(codes)
    refs, new = _resolve(places, sides, codes)
    locations = Counter(checked["location_status"] for _place, checked in new.values())
    unplaced = [p.side.label for p, checked in new.values() if checked["latitude"] is None]
    new_pks = _create_communities(new, countries)
    community_of = {
        ident: ref if isinstance(ref, int) else new_pks[ref] for ident, ref in refs.items()
    }
    partnerships = _pair(sides, community_of, codes, raw, outcomes, source=source)
    _create_partnerships(partnerships)
    ordered = [outcomes[line] for line in sorted(outcomes)]
    return ImportResult(
        outcomes=ordered,
        created=len(partnerships),
        already_present=sum(1 for o in ordered if o.outcome == "already_present"),
        rejected=Counter(o.code for o in ordered if o.outcome == "rejected"),
        communities_created=len(new),
        locations=locations,
        unplaced=unplaced,
    )
