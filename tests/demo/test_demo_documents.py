"""The demo's documents: the agreement written in the demo partners' languages once, so an
agreement with a Japanese partner prints in both languages, and one agreement made."""

import pytest

from tests.documents.helpers import AGREEMENT_VALUES, current, kyoto_partnership
from twinning.core.authz import SYSTEM
from twinning.demo.documents import seed_documents
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.documents.services import generate_document

pytestmark = pytest.mark.django_db


def test_the_demo_writes_each_language_once_and_makes_one_agreement(
    springfield, springfield_member, committee_admin_user
):
    kyoto = kyoto_partnership(springfield, current(springfield_member))

    first = seed_documents()
    second = seed_documents()

    assert (first, second) == (8, 0)
    assert set(
        DocumentTemplate.objects.filter(kind="partnership_agreement").values_list(
            "language", flat=True
        )
    ) == {"fr", "es", "de", "ja", "zh", "ko"}
    made = GeneratedDocument.objects.get()
    assert (made.partnership, made.state, made.languages) == (kyoto, "ready", ["en", "ja"])
    again = generate_document(
        kind="partnership_agreement",
        member=springfield_member,
        partnership=kyoto,
        values=AGREEMENT_VALUES,
        by=SYSTEM,
        build=False,
    )
    assert again.texts[1]["title"] == "Springfieldと京都市 Kyotoの姉妹都市提携協定書"
