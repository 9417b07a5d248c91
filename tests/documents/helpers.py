"""Worlds for the documents tests: Springfield's committee, its membership current or lapsed,
partnered with Kyoto (Japan) and with Lyon (France); officers on record on both sides."""

import datetime

from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import SYSTEM
from twinning.documents.services import save_document_template
from twinning.network.models import Member, Officer

JAPANESE_AGREEMENT = (
    "{{ community.name }}と{{ partner.name }}の姉妹都市提携協定書",
    "{{ community.name }}と{{ partner.name }}は、姉妹都市として友好と協力を深めることに合意する。"
    "\n\n協力分野:\n{{ fields_of_cooperation }}\n\n"
    "{{ signing_date }}、{{ signing_place }}にて署名。"
    "\n\n{{ our_signatory }}\n{{ partner_signatory }}",
)


def current(member: Member) -> Member:
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
    )
    return member


def lapsed(member: Member) -> Member:
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=465),
        end=today - datetime.timedelta(days=100),
    )
    return member


def kyoto_partnership(springfield, springfield_member):
    kyoto = CommunityFactory(name="京都市 Kyoto", country__code="JP", country__name="Japan")
    partnership = PartnershipFactory(community_a=springfield, community_b=kyoto)
    kyoto_member = MemberFactory(name="Kyoto Sister Cities", communities=[kyoto])
    Officer.objects.create(member=kyoto_member, name="門川大作", position="president")
    Officer.objects.create(member=springfield_member, name="Joe Quimby", position="president")
    return partnership


def lyon_partnership(springfield):
    lyon = CommunityFactory(name="Lyon", country__code="FR", country__name="France")
    return PartnershipFactory(community_a=springfield, community_b=lyon)


def japanese_agreement_text():
    title, body = JAPANESE_AGREEMENT
    return save_document_template(
        kind="partnership_agreement", language="ja", title=title, body=body, by=SYSTEM
    )


AGREEMENT_VALUES = {
    "signing_date": datetime.date(2026, 5, 1),
    "signing_place": "Springfield City Hall",
    "fields_of_cooperation": "Education\nCulture",
    "our_signatory": "Joe Quimby",
    "partner_signatory": "門川大作",
}
