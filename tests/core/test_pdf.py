"""Every PDF sets names in a Unicode font, embedded, so no name turns into empty boxes."""

import io

from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate

from twinning.core.pdf import cjk_font_name, cjk_markup, font_names, paragraph, stylesheet

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


def test_a_japanese_name_in_a_paragraph_comes_out_of_the_pdf_in_an_embedded_cjk_font():
    buffer = io.BytesIO()
    text = "Sister city: 東京都 (とうきょう), 서울특별시, 北京市"
    SimpleDocTemplate(buffer).build([paragraph(text, stylesheet()["Normal"], language="ja")])

    reader = PdfReader(io.BytesIO(buffer.getvalue()))

    extracted = reader.pages[0].extract_text()
    assert extracted.split()[2:] == ["東京都", "(とうきょう),", "서울특별시,", "北京市"]
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("NotoSansJP" in name for name in fonts)
    assert any("NotoSansKR" in name for name in fonts)


def test_ideographs_without_kana_or_language_are_set_as_chinese():
    assert cjk_markup("北京") == f'<font face="{cjk_font_name("zh")}">北京</font>'
    assert cjk_markup("東京", language="ja") == f'<font face="{cjk_font_name("ja")}">東京</font>'
    assert cjk_markup("Zoë Дмитрий") == "Zoë Дмитрий"


def test_a_bold_japanese_name_is_set_in_the_bold_cjk_weight():
    buffer = io.BytesIO()
    sheet = stylesheet()
    SimpleDocTemplate(buffer).build(
        [
            paragraph("東京都", sheet["Title"], language="ja"),
            paragraph("<b>大阪市</b> 京都市", sheet["Normal"], language="ja"),
        ]
    )

    reader = PdfReader(io.BytesIO(buffer.getvalue()))

    assert reader.pages[0].extract_text().split() == ["東京都", "大阪市", "京都市"]
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("NotoSansJP-Bold" in name for name in fonts)
    assert any("NotoSansJP-Regular" in name for name in fonts)
