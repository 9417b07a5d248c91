"""The documents services in tests/core/test_service_actors.py: Springfield's partnership and
a document made for it, for actors who may not use them (none is the member's committee admin
or staff with a second factor, so each is refused)."""

from types import SimpleNamespace

from tests.documents.helpers import AGREEMENT_VALUES
from twinning.core.authz import SYSTEM
from twinning.documents.services import generate_document


def actor_world(member, partnership) -> SimpleNamespace:
    document = generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=partnership,
        values=AGREEMENT_VALUES,
        by=SYSTEM,
        build=False,
    )
    return SimpleNamespace(document=document)


_S = "documents.services."
_AGREEMENT = lambda w: {  # noqa: E731 - one table of arguments
    "kind": "partnership_agreement",
    "member": w.member,
    "partnership": w.partnership,
    "values": AGREEMENT_VALUES,
}
ACTOR_CASES = {
    f"{_S}save_document_template": lambda w: {
        "kind": "partnership_agreement",
        "language": "fr",
        "title": "Rogue",
        "body": "Rogue",
    },
    f"{_S}preview_document": _AGREEMENT,
    f"{_S}generate_document": _AGREEMENT,
    f"{_S}regenerate_document": lambda w: {"document": w.documents.document},
}
