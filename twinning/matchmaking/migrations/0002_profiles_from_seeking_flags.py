"""The registry's 'seeking a new partner' flag grows into a profile (issue 11): each member
that says it is seeking gets an open profile for each of its communities, with its preferred
regions, its interests as the text and the languages its free text names (those a language
list knows; the rest is kept in the text). Members' flags are left as they are: matchmaking
keeps them in step from now on."""

from django.conf.locale import LANG_INFO
from django.db import migrations
import unicodedata


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _languages(text):
    names = {}
    for code, info in LANG_INFO.items():
        if len(code) == 2 and "name" in info:
            names[_fold(info["name"])] = code
            names[_fold(info.get("name_local", ""))] = code
            names[code] = code
    names.pop("", None)
    codes = []
    for part in text.replace(";", ",").replace("/", ",").split(","):
        code = names.get(_fold(part))
        if code and code not in codes:
            codes.append(code)
    return codes


def forward(apps, schema_editor):
    Member = apps.get_model("network", "Member")
    SeekingProfile = apps.get_model("matchmaking", "SeekingProfile")
    for member in Member.objects.filter(seeking_partner=True).prefetch_related("communities"):
        languages = _languages(member.languages)
        text = member.interests
        unknown = member.languages.strip() if member.languages and not languages else ""
        if unknown:
            text = f"{text}\n\nLanguages: {unknown}".strip()
        for community in member.communities.all():
            SeekingProfile.objects.get_or_create(
                community=community,
                defaults={
                    "is_open": True,
                    "preferred_regions": list(member.preferred_regions or []),
                    "languages": languages,
                    "text": text[:1000],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
