"""The languages a seeking profile can name: ISO 639-1 codes with their names (Django's
LANG_INFO), and a country's official languages (CLDR through babel), which stand in for a
community's languages when it has no profile."""

import functools

from babel.languages import get_official_languages
from django.conf.locale import LANG_INFO

from twinning.network.text import fold


@functools.cache
def language_choices() -> list[tuple[str, str]]:
    """(code, English name) of every two-letter language Django knows, by name."""
    pairs = [
        (code, info["name"])
        for code, info in LANG_INFO.items()
        if len(code) == 2 and "name" in info
    ]
    return sorted(pairs, key=lambda pair: pair[1])


LANGUAGE_NAMES = dict(language_choices())


@functools.cache
def _code_by_name() -> dict[str, str]:
    codes = {}
    for code, info in LANG_INFO.items():
        if len(code) == 2 and "name" in info:
            codes[fold(info["name"])] = code
            codes[fold(info.get("name_local", ""))] = code
            codes[code] = code
    codes.pop("", None)
    return codes


def parse_languages(text: str) -> list[str]:
    """Codes of the languages named in free text ("English, Spanish; Français"), in order,
    once each; names it does not know are dropped (the old `languages spoken` field)."""
    codes: list[str] = []
    for part in text.replace(";", ",").replace("/", ",").split(","):
        code = _code_by_name().get(fold(part.strip()))
        if code and code not in codes:
            codes.append(code)
    return codes


@functools.cache
def official_languages(country_code: str) -> frozenset[str]:
    """The country's official (de jure or de facto) languages, two-letter codes only."""
    try:
        found = get_official_languages(country_code.upper(), de_facto=True)
    except Exception:  # an unknown territory: no languages rather than an error
        return frozenset()
    return frozenset(code for code in found if code in LANGUAGE_NAMES)


def language_label(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
