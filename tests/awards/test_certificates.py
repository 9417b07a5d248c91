"""The awards' certificates are the documents app's `honour_certificate`: written from staff's
current text when the results are announced, kept with their values, and downloaded by the
nominating committee's admins only."""

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from tests.awards.helpers import eligible_member
from tests.awards.test_judging import _judged
from tests.conftest import _client_for
from tests.factories import UserFactory
from tests.translations import catalogue
from twinning.awards.models import Honour
from twinning.awards.services import announce_results, decide_nomination
from twinning.core.authz import SYSTEM
from twinning.core.models import Association
from twinning.core.services import ASSOCIATION_CACHE_KEY
from twinning.documents.kinds import get_kind
from twinning.documents.services import save_document_template
from twinning.review.interface import items_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(cycle, staff_user, django_capture_on_commit_callbacks):
    winner = eligible_member(name="Winning Committee")
    admin = UserFactory()
    winner.admins.add(admin)
    other = eligible_member(name="Other Committee")
    other_admin = UserFactory()
    other.admins.add(other_admin)
    cat, (win, _other) = _judged(cycle, [winner, other])
    items = items_for(cat.round, [win])
    decide_nomination(category=cat, item=items[win.pk], outcome="winner", by=staff_user)
    save_document_template(
        kind="honour_certificate",
        language="en",
        title="{% if winner %}Laureate{% endif %}",
        body="{{ recipient }}\n\nHonoured in {{ category }} for {{ work_title }}",
        by=SYSTEM,
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_results(cycle=cycle, by=staff_user)
    return win, admin, other_admin


def test_the_certificate_is_written_from_staffs_text_and_kept_with_its_values(announced):
    win, _admin, _other = announced

    honour = Honour.objects.get(nomination=win)

    document = honour.certificate_document
    assert document.texts[0]["title"] == "Laureate"
    assert document.inputs["recipient"] == "Winning Committee"
    assert document.sources[0]["version"] == 1


def test_the_committee_downloads_its_certificate_and_another_committee_cannot(announced):
    win, admin, other_admin = announced
    url = f"/awards/nominations/{win.pk}/certificate.pdf"

    response = _client_for(admin).get(url)
    refused = _client_for(other_admin).get(url)

    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0]
    lines = [line.strip() for line in page.extract_text().splitlines()]
    assert lines[1:3] == ["Laureate", "Winning Committee"]
    assert page.mediabox.width > page.mediabox.height
    assert refused.status_code == 404


def test_the_certificate_is_in_the_associations_language_from_the_catalogue(
    cycle, staff_user, django_capture_on_commit_callbacks
):
    """An honour goes to a committee or a person named on the nomination, neither with a
    language of their own on record: the certificate speaks the association's first language,
    in the catalogue's translation when staff wrote no text in it."""
    association = Association.load()
    association.languages = ["fr", "en"]
    association.save()
    cache.delete(ASSOCIATION_CACHE_KEY)
    members = [eligible_member(name="Comité lauréat"), eligible_member(name="Other Committee")]
    cat, (win, _other) = _judged(cycle, members)
    items = items_for(cat.round, [win])
    decide_nomination(category=cat, item=items[win.pk], outcome="winner", by=staff_user)
    kind = get_kind("honour_certificate")
    french = {
        kind.title: "{% if winner %}Lauréat{% else %}Mention honorable{% endif %}",
        kind.body: "{{ recipient }}\n\n{{ category }} : « {{ work_title }} », {{ community }}\n\n"
        "Prix annuels {{ year }}\n\n{{ announced_on }}",
    }

    with catalogue("fr", french), django_capture_on_commit_callbacks(execute=True):
        announce_results(cycle=cycle, by=staff_user)

    document = Honour.objects.get(nomination=win).certificate_document
    assert document.languages == ["fr"]
    assert document.texts[0]["title"] == "Lauréat"
    assert document.texts[0]["body"].startswith("Comité lauréat\n\n")
    assert f"Prix annuels {cycle.year}" in document.texts[0]["body"]
