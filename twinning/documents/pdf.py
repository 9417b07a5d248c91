"""A generated document as a PDF (reportlab, core/pdf.py's fonts), in its kind's layout:
LETTER, the association's letterhead, then the text (a document in two languages side by
side, one column each); CERTIFICATE, one landscape page in a border, the association's name,
the title large, the body centred with its first paragraph (the recipient) larger, shrunk to
fit the page. Every text goes through `_markup` (escaped for reportlab's mini-markup) and
`core.pdf.paragraph` (Chinese, Japanese and Korean runs in their font)."""

import io
from itertools import zip_longest
from typing import Any

from django.utils.html import escape
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from twinning.core.pdf import paragraph, stylesheet
from twinning.documents.kinds import CERTIFICATE, LETTER

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


def document_pdf(
    *,
    texts: list[dict[str, Any]],
    association: Any,
    layout: str = LETTER,
    title: str | None = None,
) -> bytes:
    """The PDF of a document's texts (one language, or two side by side) in `layout`;
    `title`, the PDF's metadata title (the texts' titles by default)."""
    if layout == CERTIFICATE:
        return _certificate_pdf(texts[0], association, title=title or texts[0]["title"])
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
    title = title or " / ".join(text["title"] for text in texts)
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


# --- Certificate layout --------------------------------------------------------------------------

INK = HexColor("#1f2a44")
ACCENT = HexColor("#b5462d")
MARGIN = 28 * mm


def _certificate_styles() -> dict[str, ParagraphStyle]:
    sheet = stylesheet()
    regular, bold = sheet["BodyText"].fontName, sheet["Title"].fontName
    centred = {"alignment": TA_CENTER, "textColor": INK}
    return {
        "association": ParagraphStyle(
            "association",
            fontName=regular,
            fontSize=16,
            leading=20,
            **centred | {"textColor": ACCENT},
        ),
        "title": ParagraphStyle("title", fontName=bold, fontSize=36, leading=44, **centred),
        "lead": ParagraphStyle("lead", fontName=bold, fontSize=30, leading=36, **centred),
        "body": ParagraphStyle("body", fontName=regular, fontSize=16, leading=22, **centred),
    }


def _border(canvas: Canvas, document: Any) -> None:
    width, height = document.pagesize
    canvas.saveState()
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(6)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(1)
    canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    canvas.restoreState()


def _certificate_pdf(text: dict[str, Any], association: Any, *, title: str) -> bytes:
    """One landscape A4 page, whatever the text's length (KeepInFrame shrinks it)."""
    styles = _certificate_styles()
    language = text["language"]
    flow: list[Flowable] = [
        paragraph(_markup(association.name), styles["association"], language=language),
        Spacer(1, 10 * mm),
        paragraph(_markup(text["title"]), styles["title"], language=language),
        Spacer(1, 12 * mm),
    ]
    parts = [part.strip() for part in text["body"].split("\n\n") if part.strip()]
    for number, part in enumerate(parts):
        style = styles["lead"] if number == 0 else styles["body"]
        flow.extend([paragraph(_markup(part), style, language=language), Spacer(1, 5 * mm)])
    width, height = landscape(A4)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=association.name,
        creator="Twinning",
        subject="",
        keywords="",
        lang=language,
    )
    frame = KeepInFrame(width - 2 * MARGIN, height - 2 * MARGIN, flow, mode="shrink")
    document.build([frame], onFirstPage=_border)
    return buffer.getvalue()
