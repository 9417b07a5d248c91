"""A generated document as a PDF (reportlab, core/pdf.py's fonts): the association's
letterhead, then the text; a document in two languages is set side by side, one column each.
Every text goes through `_markup` (escaped for reportlab's mini-markup) and
`core.pdf.paragraph` (Chinese, Japanese and Korean runs in their font)."""

import io
from itertools import zip_longest
from typing import Any

from django.utils.html import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from twinning.core.pdf import paragraph, stylesheet

WIDTH = 170 * mm


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    sheet = stylesheet()
    return {
        "title": sheet["Title"],
        "h2": sheet["Heading2"],
        "body": sheet["BodyText"],
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8, leading=10),
    }


def _letterhead(association: Any, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [f"<b>{_markup(association.name)}</b>"]
    if association.address:
        lines.append(_markup(association.address))
    contact = " · ".join(
        _markup(v) for v in (association.email, association.phone, association.website) if v
    )
    if contact:
        lines.append(contact)
    return [paragraph("<br/>".join(lines), styles["small"]), Spacer(1, 10 * mm)]


def _column(text: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    language = text["language"]
    flow: list[Flowable] = [paragraph(_markup(text["title"]), styles["h2"], language=language)]
    flow.extend(
        paragraph(_markup(part.strip()), styles["body"], language=language)
        for part in text["body"].split("\n\n")
        if part.strip()
    )
    return flow


def document_pdf(*, texts: list[dict[str, Any]], association: Any) -> bytes:
    """The PDF of a document's texts (one language, or two side by side)."""
    buffer = io.BytesIO()
    styles = _styles()
    story = _letterhead(association, styles)
    if len(texts) == 1:
        story.extend(_column(texts[0], styles))
    else:
        width = WIDTH / len(texts)
        # One row per paragraph, so a long agreement splits between pages.
        columns = [_column(text, styles) for text in texts]
        rows = [list(row) for row in zip_longest(*columns, fillvalue="")]
        table = Table(rows, colWidths=[width] * len(texts), splitByRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        story.append(table)
    title = " / ".join(text["title"] for text in texts)
    SimpleDocTemplate(
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
    ).build(story)
    return buffer.getvalue()
