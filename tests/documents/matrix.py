"""C1 rows of the documents app: the committee's pages under /portal/<member>/documents/ (their
own member only, membership current) and staff's texts. A lapsed member's refusal (403 with
the reason) is in tests/documents/test_views.py."""

from tests.matrix import OWN_MEMBER, STAFF_PAGE

POST_ONLY = (302, 405, 405, 405, 405, 405)  # sign-in first, then the method is refused
_BASE = "/portal/{member}/documents/"

MATRIX = {
    "documents:portal_home": (_BASE, OWN_MEMBER),
    "documents:portal_document_new": (_BASE + "new/award_certificate/", OWN_MEMBER),
    "documents:portal_document_new_for_partnership": (
        _BASE + "new/partnership_agreement/{partnership}/",
        OWN_MEMBER,
    ),
    "documents:portal_document_detail": (_BASE + "{document}/", OWN_MEMBER),
    "documents:portal_document_pdf": (_BASE + "{document}/document.pdf", OWN_MEMBER),
    "documents:portal_document_regenerate": (_BASE + "{document}/regenerate/", POST_ONLY),
    "documents:staff_template_list": ("/staff/documents/", STAFF_PAGE),
    "documents:staff_template_edit": ("/staff/documents/partnership_agreement/en/", STAFF_PAGE),
}


def build_world(base: dict) -> dict:
    """Springfield's membership current (unless another app made it so) and one agreement
    made for its partnership, its PDF built."""
    from tests.documents.helpers import AGREEMENT_VALUES, current
    from twinning.core.authz import SYSTEM
    from twinning.documents.access import membership_refusal
    from twinning.documents.services import build_document, generate_document
    from twinning.network.models import Member, Partnership

    member = Member.objects.get(slug=base["member"])
    if membership_refusal(member):
        current(member)
    document = generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=Partnership.objects.get(pk=base["partnership"]),
        values=AGREEMENT_VALUES,
        by=SYSTEM,
        build=False,
    )
    build_document(document=document)
    return {"document": document.pk}
