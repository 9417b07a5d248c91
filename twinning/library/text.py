"""Text for search: the words of a stored document (PDF with pypdf, DOCX with python-docx),
and the words folded (accents and case) and stemmed in a language (snowballstemmer), the same
way for what is indexed and for what is asked."""

import functools
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import snowballstemmer

logger = logging.getLogger(__name__)

# settings.LANGUAGES -> Snowball algorithm. A language without one is folded, not stemmed.
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "de": "german"}
MAX_TEXT = 2_000_000  # characters of a document indexed (a 300-page PDF is well under it)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Économie" -> "economie", "Straße" -> "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _stemmer(language: str) -> Any:
    algorithm = STEMMERS.get(language)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


def stems(text: str, language: str) -> list[str]:
    """The words of `text`, each stemmed in `language` (before folding, so the stemmer sees
    the accents it knows), then folded."""
    stemmer = _stemmer(language)
    words = _WORD.findall(text.casefold())
    if stemmer is not None:
        words = stemmer.stemWords(words)
    return [folded for word in words for folded in _WORD.findall(fold(word))]


def words(text: str) -> list[str]:
    """The words of `text` folded but not stemmed, each once, in order (for prefix matching:
    "twinni" is no stem of anything, but it begins "twinning")."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


@dataclass(frozen=True)
class Term:
    """One word asked: its stems (in each language searched) and, for a word of
    PREFIX_MIN characters or more, the folded word itself to match the start of a word."""

    stems: frozenset[str]
    prefix: str | None


PREFIX_MIN = 3  # "tw" would match too much to mean anything; "twi" finds "twinning"
MAX_QUERY_WORDS = 20


def query_terms(query: str, languages: Iterable[str]) -> list[Term]:
    """For each word asked, its stems in each of `languages` (a resource is indexed in its own
    language, so the word "collectes" finds a French resource through the French stem) and
    its folded form as a prefix (a user typing "twin" finds "twinning")."""
    languages = list(languages)
    terms = []
    for word in _WORD.findall(query.casefold())[:MAX_QUERY_WORDS]:
        variants = frozenset(stem for language in languages for stem in _word_stems(word, language))
        folded = "".join(_WORD.findall(fold(word)))
        if variants:
            terms.append(Term(variants, folded if len(folded) >= PREFIX_MIN else None))
    return terms


@functools.lru_cache(maxsize=4096)
def _word_stems(word: str, language: str) -> tuple[str, ...]:
    """A query word's stems in a language, kept: the same words are asked again and again,
    and stemming them was a tenth of a search answered from the cache."""
    return tuple(stems(word, language))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(data))
        parts = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_TEXT:
                break
    return "\n".join(parts)[:MAX_TEXT]


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)[:MAX_TEXT]


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(value) for value in row if isinstance(value, str))
            if len(parts) > 100_000:
                break
    return "\n".join(parts)[:MAX_TEXT]


EXTRACTORS = {
    "application/pdf": pdf_text,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": docx_text,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": xlsx_text,
}


def extract_text(data: bytes, mime: str) -> str | None:
    """The text of a stored file, or None when its type holds none we read."""
    extractor = EXTRACTORS.get(mime)
    return extractor(data) if extractor else None
