"""Certificates of the showcase as PDF (reportlab): one page, landscape, for a participant or a
winner. Pure rendering: `render_certificate` takes plain strings and returns bytes; the task in
`tasks_results.py` stores them privately.

Names are Unicode (Zoë, Łukasz, Nguyễn, Ağaoğlu), so the text is set in the platform's
Unicode font (DejaVu Sans, see twinning/core/pdf.py).
"""

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from twinning.core.pdf import font_names

INK = HexColor("#1f2a44")
ACCENT = HexColor("#b5462d")


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on a certificate, already translated by the caller."""

    heading: str  # "Certificate of participation" / "Winner"
    name: str  # the student's full name
    line: str  # "for “Title”, Photography"
    edition: str  # "Young Artists and Authors Showcase 2026: Bridges"
    association: str
    date: str
    language: str = "en"


def _register_fonts() -> tuple[str, str]:
    return font_names()


def font_covers(text: str) -> bool:
    """Whether the certificate font has a glyph for every character of `text`."""
    regular, _bold = _register_fonts()
    face = pdfmetrics.getFont(regular).face
    return all(ord(char) in face.charToGlyph or char.isspace() for char in text)


def _fit(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 10 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    pdf.setFont(font, size)
    return size


def render_certificate(text: CertificateText) -> bytes:
    """One landscape A4 page; the PDF's metadata names the association, never the student."""
    regular, bold = _register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True, lang=text.language)
    pdf.setTitle(text.heading)
    pdf.setAuthor(text.association)
    pdf.setCreator(text.association)
    pdf.setSubject(text.edition)

    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(6)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1)
    pdf.rect(40, 40, width - 80, height - 80)

    usable = width - 160
    pdf.setFillColor(ACCENT)
    _fit(pdf, text.association, regular, 16, usable)
    pdf.drawCentredString(width / 2, height - 110, text.association)
    pdf.setFillColor(INK)
    _fit(pdf, text.heading, bold, 38, usable)
    pdf.drawCentredString(width / 2, height - 175, text.heading)
    _fit(pdf, text.name, bold, 34, usable)
    pdf.drawCentredString(width / 2, height / 2 + 10, text.name)
    _fit(pdf, text.line, regular, 18, usable)
    pdf.drawCentredString(width / 2, height / 2 - 35, text.line)
    _fit(pdf, text.edition, regular, 16, usable)
    pdf.drawCentredString(width / 2, height / 2 - 70, text.edition)
    pdf.setFont(regular, 12)
    pdf.drawCentredString(width / 2, 80, text.date)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
