"""Name normalisation shared by search, identity and the gazetteer (standard library only:
unicodedata folds accents well enough here, and avoids GPL helpers such as Unidecode)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[\u2010-\u2015'’`´.,()\[\]]")
# Letters that have no decomposition but read as plain Latin ones.
_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
    }
)


def name_key(name: str) -> str:
    """Exact identity of a name: NFC, case-folded, spaces collapsed. Accents are kept,
    because Lohne and Löhne, Fürth and Furth are different towns."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name).casefold()).strip()


def fold(name: str) -> str:
    """Search form of a name: case- and accent-folded, hyphens and punctuation to spaces."""
    text = unicodedata.normalize("NFKD", name.casefold()).translate(_EXTRA)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text.replace("-", " "))
    return _SPACES.sub(" ", text).strip()
