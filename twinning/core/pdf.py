"""Fonts for every PDF the platform makes (invoices, certificates, letters, reports).

Names are Unicode (Zoë, Łukasz, Nguyễn, Ağaoğlu, Дмитрий, Αθήνα), and reportlab's built-in
fonts cover Latin-1 only. DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and more;
it comes from the npm registry (`dejavu-fonts-ttf` in package.json) and `make install` copies
it to `settings.PDF_FONT_DIR`. Nothing is fetched at run time. Scripts beyond DejaVu's
coverage are set in Noto Sans: Japanese (JP), Simplified Chinese (SC) and Korean (KR), from
the npm registry too (`@expo-google-fonts/noto-sans-*`, TrueType outlines, which reportlab
embeds; the CFF-based Noto Sans CJK cannot be). `paragraph()` is the one place that picks them:
each run of CJK characters in a paragraph is set in the font of its script, the rest in DejaVu.
"""

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

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


# --- Chinese, Japanese and Korean ---------------------------------------------------------------

CJK_FILES = {
    "ja": "NotoSansJP_400Regular.ttf",
    "zh": "NotoSansSC_400Regular.ttf",
    "ko": "NotoSansKR_400Regular.ttf",
}
# Han ideographs (with extension A and the compatibility block), kana, Hangul, CJK punctuation
# and full-width forms: a run of these is set in a CJK font.
_CJK_RUN = re.compile(
    "[\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+"
)
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u3130-\u318f\uac00-\ud7af]")


@cache
def cjk_font_name(language: str) -> str:
    """Register the CJK font of `language` ("ja", "zh" or "ko") once and return its name."""
    path = Path(settings.PDF_FONT_DIR) / CJK_FILES[language]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make install` (it copies the fonts).")
    name = f"Twinning-CJK-{language}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


def _cjk_language(run: str, *, markup: str, language: str | None) -> str:
    """Hangul is Korean and kana Japanese; ideographs alone follow the document's language
    (a Japanese partner's 東京 in Japanese glyphs), else the paragraph's kana, else Chinese."""
    if _HANGUL.search(run):
        return "ko"
    if _KANA.search(run):
        return "ja"
    base = (language or "").split("-")[0].lower()
    if base in CJK_FILES:
        return base
    return "ja" if _KANA.search(markup) else "zh"


def cjk_markup(markup: str, *, language: str | None = None) -> str:
    """reportlab markup with each run of CJK characters wrapped in the font of its script."""

    def wrap(match: re.Match[str]) -> str:
        font = cjk_font_name(_cjk_language(match.group(0), markup=markup, language=language))
        return f'<font face="{font}">{match.group(0)}</font>'

    return _CJK_RUN.sub(wrap, markup)


def paragraph(markup: str, style: Any, *, language: str | None = None) -> Paragraph:
    """A reportlab Paragraph whose Chinese, Japanese and Korean runs print (see cjk_markup)."""
    return Paragraph(cjk_markup(markup, language=language), style)
