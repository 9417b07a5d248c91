"""Relief's panel on `/impact/` (core.panels slot `activities.impact`), under community
development: money raised and spent, goods delivered, by year, country and partnership."""

from twinning.core.panels import Panel, register_panel
from twinning.relief.queries import impact_rows


def impact_panel() -> Panel | None:
    rows = impact_rows()
    if not rows:
        return None
    return Panel("relief/_impact.html", {"rows": rows})


def register() -> None:
    register_panel("activities.impact", impact_panel, order=70)
