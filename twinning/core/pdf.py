"""Fonts for every PDF the platform makes (invoices, certificates, letters, reports).

Names are Unicode (Zoë, Łukasz, Nguyễn, Ağaoğlu, Дмитрий, Αθήνα), and reportlab's built-in
fonts cover Latin-1 only. DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and more;
it comes from the npm registry (`dejavu-fonts-ttf` in package.json) and `make install` copies
it to `settings.PDF_FONT_DIR`. Nothing is fetched at run time. Scripts beyond DejaVu's
coverage are set in Noto Sans: Japanese (JP), Simplified Chinese (SC) and Korean (KR), from
the npm registry too (`@expo-google-fonts/noto-sans-*`, TrueType outlines, which reportlab
embeds; the CFF-based Noto Sans CJK cannot be), regular and bold. `paragraph()` is the one place
that picks them: each run of CJK characters in a paragraph is set in the font of its script (in
its bold weight where the text is bold), the rest in DejaVu.
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
# The bold weights (700) of the same packages, for bold CJK text (headings, <b>).
CJK_BOLD_FILES = {
    "ja": "NotoSansJP_700Bold.ttf",
    "zh": "NotoSansSC_700Bold.ttf",
    "ko": "NotoSansKR_700Bold.ttf",
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
def cjk_font_name(language: str, *, bold: bool = False) -> str:
    """Register the CJK font of `language` ("ja", "zh" or "ko") once and return its name, or
    its bold weight's (the regular stands in when the bold file is missing)."""
    folder = Path(settings.PDF_FONT_DIR)
    path = folder / CJK_FILES[language]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make install` (it copies the fonts).")
    if bold:
        bold_path = folder / CJK_BOLD_FILES[language]
        path = bold_path if bold_path.is_file() else path
    name = f"Twinning-CJK-{language}{'-Bold' if bold else ''}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
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


_BOLD_TAG = re.compile(r"<(/?)(?:b|strong)\s*>", re.IGNORECASE)


def _bold_at(markup: str, position: int, *, bold: bool) -> bool:
    """Whether text at `position` is bold: the style's weight, turned on by an open <b>.
    reportlab's <font face> resets the weight to the face's own, so the face must be chosen
    bold here."""
    depth = 0
    for tag in _BOLD_TAG.finditer(markup, 0, position):
        depth += -1 if tag.group(1) else 1
    return bold or depth > 0


def cjk_markup(markup: str, *, language: str | None = None, bold: bool = False) -> str:
    """reportlab markup with each run of CJK characters wrapped in the font of its script, in
    its bold weight where the text is bold (`bold`: the paragraph's style is)."""

    def wrap(match: re.Match[str]) -> str:
        script = _cjk_language(match.group(0), markup=markup, language=language)
        font = cjk_font_name(script, bold=_bold_at(markup, match.start(), bold=bold))
        return f'<font face="{font}">{match.group(0)}</font>'

    return _CJK_RUN.sub(wrap, markup)


def paragraph(markup: str, style: Any, *, language: str | None = None) -> Paragraph:
    """A reportlab Paragraph whose Chinese, Japanese and Korean runs print (see cjk_markup)."""
    bold = style.fontName == font_names()[1]
    return Paragraph(cjk_markup(markup, language=language, bold=bold), style)
