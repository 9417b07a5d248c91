"""Writing a document's texts (reads only): the values the registry knows about a member and
a partnership, the languages a document is written in, the template of each language, and the
rendering of the templates with the values. The same stored templates and values always give
the same texts, which is how a kept document is made again."""

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.languages import get_official_languages
from django.conf import settings
from django.utils import translation

from twinning.core.dates import association_today
from twinning.core.services import get_association
from twinning.documents.kinds import (
    DocumentKind,
    default_text,
    source_language,
    translated_languages,
)
from twinning.documents.models import DocumentTemplate
from twinning.network.models import Community, Member, Officer, Partnership
from twinning.outbox.registry import check_text, render_checked


@dataclass(frozen=True)
class Composition:
    """What a document is made of: per language, the template used (`sources`) and the text
    written (`texts`), and the values (`inputs`)."""

    kind: str
    inputs: dict[str, Any]
    sources: list[dict[str, Any]]
    texts: list[dict[str, Any]]


# --- What the registry knows ---------------------------------------------------------------------


def our_side(
    member: Member, partnership: Partnership, ours: set[int] | None = None
) -> tuple[Community, Community]:
    """(the member's community in the partnership, the partner); `ours`, the member's
    communities' ids, saves a query per partnership on a list."""
    if ours is None:
        ours = set(member.communities.values_list("pk", flat=True))
    if partnership.community_a_id in ours:
        return partnership.community_a, partnership.community_b
    return partnership.community_b, partnership.community_a


def _place(community: Community) -> dict[str, str]:
    return {
        "name": community.name,
        "country": community.country.name,
        "country_code": community.country_id,
    }


def signatory_of(members: Any) -> str:
    """The president (or chair) in office of the first of `members` that has one, else ''."""
    today = association_today()
    officer = (
        Officer.objects.filter(member__in=members, position=Officer.Position.PRESIDENT)
        .exclude(term_end__lt=today)
        .order_by("member_id", "name")
        .first()
    )
    return officer.name if officer else ""


def registry_values(*, member: Member, partnership: Partnership | None) -> dict[str, Any]:
    values: dict[str, Any] = {"member_name": member.name}
    if partnership is not None:
        ours, partner = our_side(member, partnership)
        values |= {
            "community": _place(ours),
            "partner": _place(partner),
            "partnership_kind": str(partnership.get_kind_display()),
            "established_year": str(partnership.established_year or ""),
        }
    return values


def initial_fields(*, member: Member, partnership: Partnership | None) -> dict[str, str]:
    """Form values the registry can suggest: the signatories from the officers on record."""
    initial = {"our_signatory": signatory_of([member])}
    if partnership is not None:
        _ours, partner = our_side(member, partnership)
        initial["partner_signatory"] = signatory_of(partner.members.all())
    return initial


# --- Languages ---------------------------------------------------------------------------------


def association_language() -> str:
    offered = list(get_association().languages) or [settings.LANGUAGE_CODE]
    return offered[0]


def template_languages(kind: DocumentKind) -> set[str]:
    """Languages a text exists in: the code's (the source language's, and every offered
    language the catalogue translates it into, `kinds.default_text`), and every language
    staff wrote one in."""
    return (
        {source_language()}
        | set(translated_languages(kind))
        | DocumentTemplate.objects.languages_of(kind.key)
    )


@functools.cache
def official_languages(country_code: str) -> tuple[str, ...]:
    try:
        return tuple(get_official_languages(country_code.upper(), de_facto=True))
    except Exception:  # an unknown territory: no languages rather than an error
        return ()


def languages_for(
    kind: DocumentKind, *, primary: str, partner_country: str | None = None
) -> list[str]:
    """[primary] and, for a bilingual document, the first official language of the partner's
    country that has a text (and is not the primary)."""
    languages = [primary]
    if kind.bilingual and partner_country:
        available = template_languages(kind)
        for code in official_languages(partner_country):
            if code != primary and code in available:
                languages.append(code)
                break
    return languages


def template_for(kind: DocumentKind, language: str) -> dict[str, Any]:
    """The newest staff text in `language`, else the code's (version 0) in the source
    language or in a language the catalogue translates it into (`kinds.default_text`);
    LookupError when there is none."""
    found = DocumentTemplate.objects.filter(kind=kind.key, language=language).first()
    if found is not None:
        return {
            "language": language,
            "version": found.version,
            "title": found.title,
            "body": found.body,
        }
    default = default_text(kind, language)
    if default is not None:
        return {"language": language, "version": 0, **default}
    raise LookupError(language)


# --- Rendering ---------------------------------------------------------------------------------


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _values_in(kind: DocumentKind, inputs: dict[str, Any], language: str) -> dict[str, Any]:
    """The values as a language writes them: dates (stored as ISO) in its long form."""
    dates = {f.name for f in kind.fields if f.kind == "date"} | kind.dates | {"today"}
    values = dict(inputs)
    for name in dates:
        raw = values.get(name)
        if raw:
            day = datetime.date.fromisoformat(str(raw))
            values[name] = format_date(day, format="long", locale=_locale(language))
    return values


def render_sources(
    kind: DocumentKind, sources: list[dict[str, Any]], inputs: dict[str, Any]
) -> list[dict[str, Any]]:
    texts = []
    for source in sources:
        language = source["language"]
        values = _values_in(kind, inputs, language)
        with translation.override(language):
            title = check_text(source["title"], label="title", allowed=kind.allowed_placeholders)
            body = check_text(source["body"], label="text", allowed=kind.allowed_placeholders)
            texts.append(
                {
                    "language": language,
                    "title": " ".join(render_checked(title, values).split()),
                    "body": render_checked(body, values),
                }
            )
    return texts


def base_values() -> dict[str, Any]:
    association = get_association()
    return {
        "association_name": association.name,
        "association_email": association.email,
        "site_url": settings.SITE_URL,
        "today": association_today().isoformat(),
    }


def compose(kind: DocumentKind, *, inputs: dict[str, Any], languages: list[str]) -> Composition:
    """The document's texts in `languages` from the current templates and `inputs`."""
    sources = [template_for(kind, language) for language in languages]
    return Composition(
        kind=kind.key,
        inputs=inputs,
        sources=sources,
        texts=render_sources(kind, sources, inputs),
    )


def language_name(code: str) -> str:
    """The language's name in the reader's language where Django knows it, else the code."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def text_language(kind: DocumentKind, wanted: str | None) -> str:
    """`wanted` (or its base language: `fr` for `fr-ca`) when `kind` has a text in it, else
    the association's language when it has one, else the source language (whose text the
    code holds)."""
    available = template_languages(kind)
    base = wanted.split("-", maxsplit=1)[0] if wanted else None
    for language in (wanted, base, association_language()):
        if language and language in available:
            return language
    return source_language()


def languages_with_text(kind: DocumentKind) -> list[str]:
    """Languages a document can be written in, the association's first."""
    first = association_language()
    available = template_languages(kind)
    return sorted(available, key=lambda code: (code != first, code != source_language(), code))
