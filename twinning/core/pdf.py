"""Fonts for every PDF the platform makes (invoices, certificates, letters, reports).

Names are Unicode (Zoë, Łukasz, Nguyễn, Ağaoğlu, Дмитрий, Αθήνα), and reportlab's built-in
fonts cover Latin-1 only. DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and more;
it comes from the npm registry (`dejavu-fonts-ttf` in package.json) and `make install` copies
it to `settings.PDF_FONT_DIR`. Nothing is fetched at run time. Scripts beyond DejaVu's
coverage (CJK) need another font: set PDF_FONT_DIR to a folder holding DejaVuSans.ttf and
DejaVuSans-Bold.ttf replacements of the same names.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "Twinning-Sans"
BOLD = "Twinning-Sans-Bold"


@cache
def font_names() -> tuple[str, str]:
    """Register the fonts once and return (regular, bold) names for reportlab."""
    folder = Path(settings.PDF_FONT_DIR)
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not regular.is_file():
        raise FileNotFoundError(f"{regular} is missing: run `make install` (it copies the fonts).")
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold if bold.is_file() else regular)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD


def stylesheet() -> StyleSheet1:
    """reportlab's sample styles, set in the Unicode font (headings in its bold)."""
    regular, bold = font_names()
    sheet = getSampleStyleSheet()
    for name in sheet.byName:
        style = sheet[name]
        if hasattr(style, "fontName"):  # list styles have none
            style.fontName = bold if style.fontName.endswith("Bold") else regular
    return sheet
