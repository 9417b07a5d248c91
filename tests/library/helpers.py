"""Worlds for the library tests: committees in good standing or lapsed (each with an admin),
resources built through the services, and small documents made in code."""

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.core.upload_corpus import docx, reportlab_pdf
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from tests.factories.members import MembershipFactory
from twinning.core.authz import SYSTEM
from twinning.library.models import Resource, Topic
from twinning.library.services import create_resource
from twinning.network.models import Member, Partnership


def active_partnership(member: Member) -> None:
    home = member.communities.first()
    if home is None:
        home = CommunityFactory()
        member.communities.add(home)
    PartnershipFactory(
        community_a=home, community_b=CommunityFactory(), status=Partnership.Status.ACTIVE
    )


def in_good_standing(member: Member) -> Member:
    """A current membership (ending in 300 days) and an active partnership."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
    )
    active_partnership(member)
    return member


def lapsed(member: Member) -> Member:
    """A membership that ended (with its 30 days' grace) 100 days ago; partnership active."""
    today = timezone.localdate()
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=465),
        end=today - datetime.timedelta(days=100),
    )
    active_partnership(member)
    return member


def committee(name: str, email: str, *, standing: bool = True) -> tuple[Member, Any]:
    member = MemberFactory(name=name)
    in_good_standing(member) if standing else lapsed(member)
    admin = UserFactory(email=email)
    member.admins.add(admin)
    return member, admin


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def link(
    title: str, *, summary: str = "A summary.", language: str = "en", **fields: Any
) -> Resource:
    fields.setdefault("access", Resource.Access.PUBLIC)
    fields.setdefault("url", "https://example.org/" + title.lower().replace(" ", "-"))
    return create_resource(
        title=title,
        summary=summary,
        kind=Resource.Kind.LINK,
        language=language,
        by=SYSTEM,
        **fields,
    )


def pdf_upload(text: str = "", name: str = "toolkit.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text_pdf(text) if text else reportlab_pdf())


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose page says `text` (for text extraction)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def docx_upload(text: str, name: str = "toolkit.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx(text))


def document(
    title: str,
    upload: SimpleUploadedFile,
    *,
    summary: str = "A summary.",
    language: str = "en",
    **fields: Any,
) -> Resource:
    fields.setdefault("access", Resource.Access.MEMBERS)
    return create_resource(
        title=title,
        summary=summary,
        kind=Resource.Kind.DOCUMENT,
        language=language,
        upload=upload,
        by=SYSTEM,
        **fields,
    )
