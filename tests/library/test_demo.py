"""The demo's library (issue 11, section 1): about thirty resources in English, French,
Spanish and German, files generated at seed time through the upload pipeline with their text
read, versions, language versions, every access level, featured resources and partners; the
words inside the files are found by search; a second run adds nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from tests.factories import UserFactory
from twinning.demo import personas
from twinning.demo.library import seed_library
from twinning.library.models import Download, Resource, Version
from twinning.library.search import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once for this module's tests (files are made and read), in a
    transaction rolled back after them; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        UserFactory(email=personas.PUBLIC.email)
        seed_library()
        yield
        transaction.set_rollback(True)


def test_the_demo_holds_a_few_dozen_resources_in_four_languages_and_three_kinds():
    resources = Resource.objects.all()

    assert resources.count() >= 24
    assert set(resources.values_list("language", flat=True)) == {"en", "fr", "es", "de"}
    assert set(resources.values_list("kind", flat=True)) == {"document", "link", "recording"}
    mimes = set(Version.objects.exclude(file="").values_list("mime", flat=True))
    assert {m.rsplit("/", 1)[-1] for m in mimes} == {
        "pdf",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_every_demo_file_went_through_the_pipeline_and_its_text_was_read():
    files = Version.objects.exclude(file="")

    assert files.count() >= 20
    assert set(files.values_list("text_state", flat=True)) == {Version.TextState.DONE}
    assert all(v.file.startswith("library/") and v.size > 0 for v in files)


def test_the_demo_has_versions_language_versions_access_levels_featured_and_partners():
    start = Resource.objects.get(slug="starting-a-sister-city-partnership")

    assert start.versions.count() == 2
    assert set(start.translation_group.resources.values_list("language", flat=True)) == {
        "en",
        "fr",
        "es",
        "de",
    }
    assert Resource.objects.filter(versions__number=3).exists()
    assert set(Resource.objects.values_list("access", flat=True)) == {"public", "members", "staff"}
    assert Resource.objects.filter(featured=True).count() == 4
    assert Resource.objects.exclude(partner="").count() >= 5


def test_words_inside_the_demo_files_are_found_by_search():
    anonymous = AnonymousUser()

    assert [r.title for r in search("crowdfunding", user=anonymous)] == []  # members only
    assert "Advocacy with your city council" in [
        r.title for r in search("councillors", user=anonymous)
    ]
    assert "Eine Städtepartnerschaft gründen" in [
        r.title for r in search("Bürgermeister", user=anonymous)
    ]
    staff = Resource.objects.get(slug="fundraising-toolkit-for-committees")
    assert "crowdfunding" in staff.versions.order_by("-number").first().text.casefold()


def test_the_public_persona_opened_public_resources_for_the_statistics():
    downloads = Download.objects.filter(user__email=personas.PUBLIC.email)

    assert downloads.count() == 3
    assert set(downloads.values_list("resource__access", flat=True)) == {"public"}


def test_a_second_run_adds_nothing():
    count = Resource.objects.count()

    assert seed_library() == []
    assert Resource.objects.count() == count
