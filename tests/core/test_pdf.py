"""Every PDF sets names in a Unicode font, embedded, so no name turns into empty boxes."""

import io

from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate

from twinning.core.pdf import font_names, stylesheet

NAMES = "Zoë Łukasz Nguyễn Ağaoğlu Дмитрий Αθήνα"


def _pdf_with(text: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(text, stylesheet()["Normal"])])
    return buffer.getvalue()


def test_the_stylesheet_uses_the_embedded_unicode_font_for_body_and_headings():
    regular, bold = font_names()
    sheet = stylesheet()

    assert sheet["Normal"].fontName == regular
    assert sheet["Title"].fontName == bold


def test_names_in_several_scripts_come_out_of_the_pdf_as_written():
    reader = PdfReader(io.BytesIO(_pdf_with(NAMES)))

    assert reader.pages[0].extract_text().split() == NAMES.split()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("DejaVuSans" in str(font.get_object()["/BaseFont"]) for font in fonts.values())
