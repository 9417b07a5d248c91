"""Server-drawn SVG charts, the one copy every statistics page uses: static images that need no
JS; every text is escaped."""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart_svg(rows: Sequence[tuple[str, int]], *, title: str) -> SafeString:
    """A horizontal bar chart with a label and a value per bar. The page shows the same
    figures in a table, the chart's text alternative beyond its title."""
    width = 640
    label_width = 180
    value_width = 60
    bar_height = 22
    gap = 8
    top = 8
    height = top * 2 + len(rows) * (bar_height + gap)
    largest = max((value for _label, value in rows), default=0) or 1
    usable = width - label_width - value_width
    parts = [
        f'<svg class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        bar = max(round(usable * value / largest, 1), 1.0)
        text_y = y + bar_height / 2 + 4.5
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<g><text class="chart__label" x="{label_width - 8}" y="{text_y}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="chart__bar" x="{label_width}" y="{y}" width="{bar}" '
            f'height="{bar_height}" rx="3"><title>{escape(label)}: {value}</title></rect>'
            f'<text class="chart__value" x="{label_width + bar + 6}" y="{text_y}">'
            f"{value:,}</text></g>"
        )
    parts.append(
        f'<line class="chart__axis" x1="{label_width}" y1="{top - 4}" x2="{label_width}" '
        f'y2="{height - top + 4}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()
