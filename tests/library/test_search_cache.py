"""What a query finds is cached (search._found) under a fingerprint of the rows it is read from
(search.library_version): every change made through the library's services, and a file's
text read in the background, shows on the very next search, which then reads the database
again; an unchanged library is not read again."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library.helpers import document, docx_upload, link, topic
from twinning.core.authz import SYSTEM
from twinning.library.access import Access
from twinning.library.indexing import read_version_text
from twinning.library.models import Resource, Topic
from twinning.library.search import search
from twinning.library.services import add_version, create_topic
from twinning.library.services.resources import update_resource

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def titles(results) -> list[str]:
    return [resource.title for resource in results]


def _fresh(query: str = "guide", **options) -> list[str]:
    """The titles of a search, stating that it read the database rather than a kept result."""
    with CaptureQueriesContext(connection) as captured:
        found = titles(search(query, user=ANONYMOUS, **options))
    assert len(captured) > 1, "the search answered from the cache after a change"
    return found


def test_an_unchanged_library_answers_a_repeated_search_with_one_query():
    link("Youth guide")
    first = titles(search("guide", user=ANONYMOUS))

    with CaptureQueriesContext(connection) as captured:
        again = titles(search("guide", user=ANONYMOUS))

    assert again == first == ["Youth guide"]
    assert len(captured) == 1  # the fingerprint of the library's rows


def test_a_new_resource_is_found_by_the_next_search():
    link("Youth guide")
    assert titles(search("guide", user=ANONYMOUS)) == ["Youth guide"]

    link("Budget guide")

    assert sorted(_fresh()) == ["Budget guide", "Youth guide"]


def test_a_renamed_resource_is_found_by_its_new_title_only():
    resource = link("Youth guide")
    assert titles(search("guide", user=ANONYMOUS)) == ["Youth guide"]

    resource.title = "Youth handbook"
    update_resource(resource=resource, by=SYSTEM)

    assert _fresh() == []
    assert _fresh("handbook") == ["Youth handbook"]


def test_a_resource_made_staff_only_leaves_the_public_search_at_once():
    resource = link("Youth guide")
    assert titles(search("guide", user=ANONYMOUS)) == ["Youth guide"]

    resource.access = Resource.Access.STAFF
    update_resource(resource=resource, by=SYSTEM)

    assert _fresh() == []


def test_a_newly_featured_resource_comes_first_without_a_query():
    link("Alpha guide")
    beta = link("Beta guide")
    assert titles(search("", user=ANONYMOUS)) == ["Alpha guide", "Beta guide"]

    beta.featured = True
    update_resource(resource=beta, by=SYSTEM)

    assert _fresh("") == ["Beta guide", "Alpha guide"]


def test_changed_topics_show_in_the_results_and_their_facets():
    resource = link("Youth guide", topics=[topic("youth")])
    assert [f.value for f in search("guide", user=ANONYMOUS).topics] == ["youth"]

    update_resource(resource=resource, topics=[topic("fundraising")], by=SYSTEM)

    assert _fresh(topics=["fundraising"]) == ["Youth guide"]
    assert [f.value for f in search("guide", user=ANONYMOUS).topics] == ["fundraising"]


def test_a_renamed_topic_shows_its_new_name_on_the_results():
    link("Youth guide", topics=[topic("youth")])
    assert [f.label for f in search("guide", user=ANONYMOUS).topics] == ["Youth"]

    renamed = Topic.objects.get(slug="youth")
    renamed.name = "Young people"
    renamed.save()

    assert _fresh() == ["Youth guide"]
    found = search("guide", user=ANONYMOUS)
    assert [f.label for f in found.topics] == ["Young people"]
    assert [t.name for t in found.resources[0].topic_list] == ["Young people"]


def test_a_new_topic_does_not_disturb_a_search_and_is_offered_once_used():
    resource = link("Youth guide")
    search("guide", user=ANONYMOUS)

    sport = create_topic(name="Sport", by=SYSTEM)
    update_resource(resource=resource, topics=[sport], by=SYSTEM)

    assert _fresh(topics=["sport"]) == ["Youth guide"]


def test_a_new_version_is_found_by_a_word_inside_its_file(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resource = document("Toolkit", docx_upload("Partnership basics"), access="public")
    assert titles(search("logistic", user=ANONYMOUS)) == []

    with django_capture_on_commit_callbacks(execute=True):
        add_version(
            resource=resource,
            change_note="Now a document",
            upload=docx_upload("Disaster relief logistics"),
            by=SYSTEM,
        )

    assert _fresh("logistic") == ["Toolkit"]


def test_a_files_text_read_in_the_background_is_found_by_the_next_search():
    """The text is read after the resource was saved (tasks.extract_text_task): only its
    search entry is written then, and the search must see it."""
    resource = document("Guide", docx_upload("Disaster relief logistics"), access="public")
    assert titles(search("logistic", user=ANONYMOUS)) == []  # the text is not read yet

    read_version_text(version_id=resource.versions.get().pk)

    assert _fresh("logistic") == ["Guide"]


def test_a_deleted_resource_is_not_found_by_the_next_search():
    link("Youth guide")
    budget = link("Budget guide")
    assert len(search("guide", user=ANONYMOUS)) == 2

    budget.delete()

    assert _fresh() == ["Youth guide"]


def test_each_set_of_access_levels_keeps_its_own_result():
    link("Public guide", access=Resource.Access.PUBLIC)
    link("Staff guide", access=Resource.Access.STAFF)

    assert titles(search("guide", user=ANONYMOUS)) == ["Public guide"]
    assert sorted(titles(search("guide", user=None, access=Access(is_staff=True)))) == [
        "Public guide",
        "Staff guide",
    ]
    assert titles(search("guide", user=ANONYMOUS)) == ["Public guide"]


def test_a_new_or_renamed_topic_is_offered_by_the_search_form_on_the_next_page(client):
    assert 'value="sport"' not in client.get("/library/").content.decode()

    sport = create_topic(name="Sport", by=SYSTEM)
    assert '<option value="sport">Sport</option>' in client.get("/library/").content.decode()

    sport.name = "Sports and games"
    sport.save()
    page = client.get("/library/").content.decode()
    assert '<option value="sport">Sports and games</option>' in page
