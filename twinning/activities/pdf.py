"""PDF documents built with reportlab in background tasks: the association's annual report.
(A delegation traveller's invitation letter for a visa is a document of the documents app,
`visa_letter`, written from staff's text.) Every text from the database goes
through `_text` (escaped for reportlab's mini-markup), and the documents carry no author or
subject metadata beyond the association's name."""

import io
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from twinning.core.pdf import font_names, stylesheet


def _text(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    sheet = stylesheet()
    return {
        "title": sheet["Title"],
        "h2": sheet["Heading2"],
        "body": sheet["BodyText"],
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8, leading=10),
    }


def _document(buffer: io.BytesIO, *, title: str, association: Any) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=association.name,
        creator="Twinning",
        subject="",
        keywords="",
    )


def _letterhead(association: Any, styles: dict[str, ParagraphStyle]) -> list[Any]:
    lines = [f"<b>{_text(association.name)}</b>"]
    if association.address:
        lines.append(_text(association.address))
    contact = " · ".join(
        _text(v) for v in (association.email, association.phone, association.website) if v
    )
    if contact:
        lines.append(contact)
    return [Paragraph("<br/>".join(lines), styles["small"]), Spacer(1, 10 * mm)]


def _date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _table_style() -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, 0), font_names()[1]),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa7b4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )


def _money(value: Decimal) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _number(value: int) -> str:
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def annual_report_pdf(*, year: int, display: dict[str, Any], association: Any) -> bytes:
    """The annual report: the year's totals, then each breakdown as a table, then the
    partnerships by status and the dormant ones."""
    buffer = io.BytesIO()
    styles = _styles()
    title = _("Annual report %(year)s") % {"year": year}
    story = _letterhead(association, styles)
    story.append(Paragraph(_text(title), styles["title"]))
    story.append(
        Paragraph(
            _text(
                _(
                    "Activities reported by the member organisations and verified by the "
                    "association's staff, with start dates in %(year)s. Amounts in %(cur)s."
                )
                % {"year": year, "cur": association.currency}
            ),
            styles["body"],
        )
    )
    totals = display["totals"]
    story.append(Paragraph(_text(_("The year in numbers")), styles["h2"]))
    rows = [
        [_("Activities"), _number(totals["activities"])],
        [_("Participants"), _number(totals["participants"])],
        [_("of whom under 18"), _number(totals["under_18"])],
        [_("Volunteer hours"), _number(totals["volunteer_hours"])],
        [_("Money raised"), _money(totals["money_raised"])],
        [_("Money spent"), _money(totals["money_spent"])],
        [_("Agreements signed"), _number(totals["agreements"])],
        [_("Policies adopted"), _number(totals["policies_adopted"])],
        [_("People trained"), _number(totals["people_trained"])],
    ]
    table = Table(rows, colWidths=[90 * mm, 50 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa7b4"))]))
    story.append(table)
    from twinning.activities.impact import breakdown_titles

    for breakdown, heading in breakdown_titles().items():
        if breakdown == "by_year" or not display[breakdown]:
            continue
        story.append(Paragraph(_text(heading), styles["h2"]))
        data = [
            [_("Name"), _("Activities"), _("Participants"), _("Hours"), _("Raised"), _("Spent")]
        ]
        data.extend(
            [
                Paragraph(_text(row["label"]), styles["body"]),
                _number(row["activities"]),
                _number(row["participants"]),
                _number(row["volunteer_hours"]),
                _money(row["money_raised"]),
                _money(row["money_spent"]),
            ]
            for row in display[breakdown][:25]
        )
        table = Table(data, colWidths=[55 * mm, 22 * mm, 24 * mm, 20 * mm, 25 * mm, 25 * mm])
        table.setStyle(_table_style())
        story.append(table)
    story.append(Paragraph(_text(_("Partnerships")), styles["h2"]))
    data = [[_("Status"), _("Partnerships")]] + [
        [str(row["label"]), _number(row["count"])] for row in display["partnerships_by_status"]
    ]
    data.append(
        [_("Without reported activity for two years, or dormant"), _number(display["dormant"])]
    )
    table = Table(data, colWidths=[110 * mm, 40 * mm])
    table.setStyle(_table_style())
    story.append(table)
    _document(buffer, title=title, association=association).build(story)
    return buffer.getvalue()
