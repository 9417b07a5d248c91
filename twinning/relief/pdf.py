"""The donor's receipt for money received, as PDF (reportlab, the platform's Unicode font from
core/pdf.py): the association, the receipt number, the donor, the amount in its currency and
the appeal the gift is restricted to."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from twinning.core.pdf import stylesheet
from twinning.core.services import get_association
from twinning.members.payments import label_of
from twinning.relief.models import Donation


def _para(text: str, style: object) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def render_receipt(donation: Donation) -> bytes:
    styles = stylesheet()
    association = get_association()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Donation receipt"),
        author=association.name,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    rows = [
        [_("Receipt number"), donation.number],
        [_("Received from"), donation.name or _("Anonymous")],
        [_("Amount"), donation.amount_shown],
        [_("Received on"), donation.received_on.isoformat()],
        [_("Paid by"), f"{label_of(donation.provider)} ({donation.method})"],
        [_("Reference"), donation.reference or "-"],
        [_("Restricted to"), donation.appeal.title],
    ]
    story = [
        _para(association.name, styles["Title"]),
        _para(_("Donation receipt"), styles["Heading2"]),
        Spacer(1, 0.4 * cm),
        Table(rows, style=[("FONTNAME", (0, 0), (-1, -1), styles["BodyText"].fontName)]),
        Spacer(1, 0.6 * cm),
        _para(
            _(
                "Thank you. This gift is used only for “%(title)s”; its public ledger shows every "
                "amount received and spent."
            )
            % {"title": donation.appeal.title},
            styles["BodyText"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
