"""Demo documents: the partnership agreement and the invitation to partner written in the
languages of the demo's partners (French, Spanish, German, Japanese, Chinese, Korean), so an
agreement prints bilingual, and one agreement made for the committee persona's first
partnership. Texts written for the demo; seeded once (a language already written is kept)."""

from typing import Any

from twinning.core.authz import SYSTEM
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.documents.services import build_document, generate_document, save_document_template
from twinning.network.models import Member, Partnership

AGREEMENT = {
    "fr": (
        "Accord de jumelage entre {{ community.name }} et {{ partner.name }}",
        "{{ community.name }} ({{ community.country }}) et {{ partner.name }} "
        "({{ partner.country }}) conviennent de devenir villes jumelles, pour l'amitié, la "
        "compréhension et la coopération entre leurs habitants.\n\n"
        "Domaines de coopération :\n{{ fields_of_cooperation }}\n\n"
        "Signé à {{ signing_place }}, le {{ signing_date }}.\n\n"
        "Pour {{ community.name }} : {{ our_signatory }}\n"
        "Pour {{ partner.name }} : {{ partner_signatory }}",
    ),
    "es": (
        "Acuerdo de hermanamiento entre {{ community.name }} y {{ partner.name }}",
        "{{ community.name }} ({{ community.country }}) y {{ partner.name }} "
        "({{ partner.country }}) acuerdan ser ciudades hermanas, para la amistad, el "
        "entendimiento y la cooperación entre sus habitantes.\n\n"
        "Ámbitos de cooperación:\n{{ fields_of_cooperation }}\n\n"
        "Firmado en {{ signing_place }}, el {{ signing_date }}.\n\n"
        "Por {{ community.name }}: {{ our_signatory }}\n"
        "Por {{ partner.name }}: {{ partner_signatory }}",
    ),
    "de": (
        "Partnerschaftsvertrag zwischen {{ community.name }} und {{ partner.name }}",
        "{{ community.name }} ({{ community.country }}) und {{ partner.name }} "
        "({{ partner.country }}) vereinbaren eine Städtepartnerschaft, für Freundschaft, "
        "Verständigung und Zusammenarbeit ihrer Bürgerinnen und Bürger.\n\n"
        "Bereiche der Zusammenarbeit:\n{{ fields_of_cooperation }}\n\n"
        "Unterzeichnet in {{ signing_place }} am {{ signing_date }}.\n\n"
        "Für {{ community.name }}: {{ our_signatory }}\n"
        "Für {{ partner.name }}: {{ partner_signatory }}",
    ),
    "ja": (
        "{{ community.name }}と{{ partner.name }}の姉妹都市提携協定書",
        "{{ community.name }}（{{ community.country }}）と{{ partner.name }}"
        "（{{ partner.country }}）は、市民の友好と相互理解と協力のため、姉妹都市となることに"
        "合意する。\n\n協力分野:\n{{ fields_of_cooperation }}\n\n"
        "{{ signing_date }}、{{ signing_place }}にて署名。\n\n"
        "{{ community.name }}代表: {{ our_signatory }}\n"
        "{{ partner.name }}代表: {{ partner_signatory }}",
    ),
    "zh": (
        "{{ community.name }}与{{ partner.name }}友好城市协议书",
        "{{ community.name }}（{{ community.country }}）与{{ partner.name }}"
        "（{{ partner.country }}）为促进两市人民的友谊、理解与合作，同意结为友好城市。\n\n"
        "合作领域:\n{{ fields_of_cooperation }}\n\n"
        "{{ signing_date }}于{{ signing_place }}签署。\n\n"
        "{{ community.name }}代表: {{ our_signatory }}\n"
        "{{ partner.name }}代表: {{ partner_signatory }}",
    ),
    "ko": (
        "{{ community.name }}과 {{ partner.name }}의 자매도시 협정서",
        "{{ community.name }}({{ community.country }})과 {{ partner.name }}"
        "({{ partner.country }})은 시민의 우호와 이해와 협력을 위하여 자매도시가 되기로 "
        "합의한다.\n\n협력 분야:\n{{ fields_of_cooperation }}\n\n"
        "{{ signing_date }} {{ signing_place }}에서 서명.\n\n"
        "{{ community.name }} 대표: {{ our_signatory }}\n"
        "{{ partner.name }} 대표: {{ partner_signatory }}",
    ),
}

INVITATION = {
    "fr": (
        "Invitation au jumelage avec {{ community.name }}",
        "{{ today }}\n\nÀ Madame ou Monsieur le Maire et aux habitants de {{ partner.name }}\n\n"
        "Au nom de {{ community.name }} et de {{ member_name }}, nous invitons "
        "{{ partner.name }} à devenir notre ville jumelle. Nous proposons de commencer par :\n"
        "{{ proposed_activities }}\n\nNous serions heureux de votre réponse avant le "
        "{{ reply_by }}.\n\n{{ our_signatory }}",
    ),
    "es": (
        "Invitación al hermanamiento con {{ community.name }}",
        "{{ today }}\n\nA la alcaldía y a los habitantes de {{ partner.name }}\n\n"
        "En nombre de {{ community.name }} y de {{ member_name }}, invitamos a "
        "{{ partner.name }} a ser nuestra ciudad hermana. Proponemos empezar con:\n"
        "{{ proposed_activities }}\n\nNos alegraría recibir su respuesta antes del "
        "{{ reply_by }}.\n\n{{ our_signatory }}",
    ),
}


def seed_documents(*, staff: Any = SYSTEM) -> int:
    """Write the demo's texts (each language once) and one agreement; the number of texts
    written."""
    written = 0
    for kind, texts in (
        ("partnership_agreement", AGREEMENT),
        ("partnership_invitation", INVITATION),
    ):
        for language, (title, body) in texts.items():
            if DocumentTemplate.objects.filter(kind=kind, language=language).exists():
                continue
            save_document_template(kind=kind, language=language, title=title, body=body, by=staff)
            written += 1
    _sample_agreement(staff)
    return written


def _sample_agreement(staff: Any) -> None:
    member = Member.objects.filter(admins__isnull=False).order_by("pk").first()
    if member is None or GeneratedDocument.objects.filter(member=member).exists():
        return
    partnership = (
        Partnership.objects.filter(community_a__in=member.communities.all()).first()
        or Partnership.objects.filter(community_b__in=member.communities.all()).first()
    )
    if partnership is None:
        return
    document = generate_document(
        kind="partnership_agreement",
        member=member,
        partnership=partnership,
        values={
            "signing_date": "2026-05-01",
            "signing_place": "City Hall",
            "fields_of_cooperation": "Education and youth exchanges\nCulture\nTrade",
            "our_signatory": "The Mayor",
            "partner_signatory": "The Mayor",
        },
        by=staff,
        build=False,
    )
    build_document(document=document)
