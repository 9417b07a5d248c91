"""The library's services: resources with their first version, new versions with what
changed, topics, language versions; bad input changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.upload_corpus import docx_parts, office_zip
from tests.library.helpers import document, docx_upload, link, pdf_upload, topic
from twinning.core.authz import SYSTEM
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.library.models import Resource, Topic, TranslationGroup, Version
from twinning.library.services import (
    add_version,
    create_resource,
    create_topic,
    link_translation,
    unlink_translation,
    update_resource,
)

pytestmark = pytest.mark.django_db


def test_a_document_is_stored_privately_through_the_upload_pipeline():
    resource = document("Toolkit", docx_upload("Hello"))

    version = resource.versions.get()
    assert version.number == 1
    assert version.file.startswith("library/")
    assert version.file_name == "toolkit.docx"
    assert private_storage.exists(version.file)
    assert ActivityLog.objects.filter(action="library.resource.created").count() == 1


def test_a_document_with_macros_is_refused_and_nothing_is_kept():
    macros = office_zip(docx_parts({"word/vbaProject.bin": b"x"}))

    with pytest.raises(ValidationError) as caught:
        document("Toolkit", SimpleUploadedFile("t.docx", macros))

    assert "macros" in " ".join(caught.value.messages)
    assert not Resource.objects.exists()


def test_a_document_without_a_file_is_refused_with_a_message_on_the_file():
    with pytest.raises(ValidationError) as caught:
        create_resource(
            title="T", summary="S", kind="document", language="en", upload=None, by=SYSTEM
        )

    assert "upload" in caught.value.message_dict
    assert not Resource.objects.exists()


def test_a_link_needs_its_address():
    with pytest.raises(ValidationError) as caught:
        create_resource(title="T", summary="S", kind="link", language="en", url="", by=SYSTEM)

    assert "url" in caught.value.message_dict


def test_a_webinar_recording_is_a_resource_with_the_recording_address():
    resource = create_resource(
        title="Webinar: hosting a delegation",
        summary="The recording of March's webinar.",
        kind=Resource.Kind.RECORDING,
        language="en",
        access=Resource.Access.MEMBERS,
        source="Monthly webinar, March",
        url="https://video.example.org/webinar-march",
        by=SYSTEM,
    )

    assert resource.versions.get().url == "https://video.example.org/webinar-march"


def test_a_new_version_becomes_current_and_keeps_the_older_one():
    resource = document("Toolkit", pdf_upload())

    version = add_version(
        resource=resource, change_note="Updated budget table", upload=docx_upload("v2"), by=SYSTEM
    )

    assert version.number == 2
    assert list(resource.versions.values_list("number", "change_note")) == [
        (2, "Updated budget table"),
        (1, "First version"),
    ]
    assert Version.objects.current().get().number == 2


def test_a_new_version_needs_a_change_note():
    resource = link("Guide")

    with pytest.raises(ValidationError) as caught:
        add_version(resource=resource, change_note="  ", url="https://example.org/2", by=SYSTEM)

    assert "change_note" in caught.value.message_dict
    assert resource.versions.count() == 1


def test_the_default_topics_are_there_and_staff_add_more():
    assert {
        "exchanges",
        "fundraising",
        "advocacy",
        "business-exchange",
        "creative-economies",
        "youth",
        "municipal-peer-learning",
        "disaster-relief",
    } <= set(Topic.objects.values_list("slug", flat=True))

    create_topic(name="Climate action", by=SYSTEM)

    assert Topic.objects.filter(slug="climate-action").exists()


def test_a_topic_cannot_be_added_twice():
    with pytest.raises(ValidationError):
        create_topic(name="Youth", by=SYSTEM)


def test_language_versions_are_linked_in_one_group_each_with_its_language():
    english = link("Hosting guide")
    french = link("Guide de l'accueil", language="fr")
    spanish = link("Guía de acogida", language="es")

    link_translation(resource=english, other=french, by=SYSTEM)
    group = link_translation(resource=spanish, other=french, by=SYSTEM)

    assert set(group.resources.values_list("language", flat=True)) == {"en", "fr", "es"}
    assert TranslationGroup.objects.count() == 1


def test_two_resources_in_one_language_are_not_language_versions():
    english = link("Hosting guide")
    other = link("Hosting guide, short")

    with pytest.raises(ValidationError):
        link_translation(resource=english, other=other, by=SYSTEM)

    assert not TranslationGroup.objects.exists()


def test_unlinking_the_last_pair_removes_the_group():
    english = link("Hosting guide")
    french = link("Guide de l'accueil", language="fr")
    link_translation(resource=english, other=french, by=SYSTEM)

    unlink_translation(resource=english, by=SYSTEM)

    assert not TranslationGroup.objects.exists()
    french.refresh_from_db()
    assert french.translation_group is None


def test_updating_a_resource_indexes_it_again():
    from django.contrib.auth.models import AnonymousUser

    from twinning.library.search import search

    resource = link("Old title")
    resource.title = "Advocacy handbook"

    update_resource(resource=resource, topics=[topic("advocacy")], by=SYSTEM)

    assert [r.title for r in search("advocacy", user=AnonymousUser())] == ["Advocacy handbook"]
