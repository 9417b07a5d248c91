"""Migration 0002: every community of a member that said it was seeking gets an open profile
with the member's regions, interests and the languages its free text names."""

import importlib

import pytest
from django.apps import apps

from tests.factories import CommunityFactory, MemberFactory
from twinning.matchmaking.models import SeekingProfile

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "twinning.matchmaking.migrations.0002_profiles_from_seeking_flags"
)


def test_seeking_members_communities_get_open_profiles():
    lyon, villeurbanne = CommunityFactory(name="Lyon"), CommunityFactory(name="Villeurbanne")
    MemberFactory(
        communities=[lyon, villeurbanne],
        seeking_partner=True,
        preferred_regions=["asia", "africa"],
        interests="Youth exchanges",
        languages="French, english; Español",
    )
    MemberFactory(communities=[CommunityFactory(name="Quiet")], seeking_partner=False)

    migration.forward(apps, None)
    migration.forward(apps, None)  # twice: nothing more

    profiles = SeekingProfile.objects.order_by("community__name")
    assert [p.community.name for p in profiles] == ["Lyon", "Villeurbanne"]
    first = profiles[0]
    assert first.is_open
    assert first.preferred_regions == ["asia", "africa"]
    assert first.languages == ["fr", "en", "es"]
    assert first.text == "Youth exchanges"


def test_languages_it_cannot_read_stay_in_the_text():
    town = CommunityFactory(name="Kassel")
    MemberFactory(communities=[town], seeking_partner=True, interests="Music", languages="Klingon")

    migration.forward(apps, None)

    assert SeekingProfile.objects.get().text == "Music\n\nLanguages: Klingon"
