"""The grant agreement as PDF (reportlab, the platform's Unicode font from core/pdf.py): every
party, the amount per side, the tranches and the reports they wait for."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from twinning.core.pdf import stylesheet
from twinning.core.services import get_association
from twinning.grants.models import Grant, Report


def _para(text: str, style: object) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def render_agreement(grant: Grant) -> bytes:
    styles = stylesheet()
    application = grant.application
    program = application.call.program
    association = get_association()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Grant agreement"),
        author=association.name,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    story = [
        _para(_("Grant agreement"), styles["Title"]),
        _para(f"{program.name} ({program.funder})", styles["Heading2"]),
        _para(
            _("Between %(association)s and the partners below, for the project “%(title)s”.")
            % {"association": association.name, "title": application.title},
            styles["BodyText"],
        ),
        Spacer(1, 0.4 * cm),
        _para(_("Parties"), styles["Heading3"]),
    ]
    rows = [[_("Community"), _("Country"), _("Committee"), _("Signed by"), _("Amount")]]
    rows += [
        [
            str(side.community),
            side.community.country.name,
            str(side.member or "-"),
            side.signer_name or "-",
            f"{side.awarded_amount or 0} {grant.currency}",
        ]
        for side in application.sides.select_related("community__country", "member")
    ]
    story.append(
        Table(
            rows, repeatRows=1, style=[("FONTNAME", (0, 0), (-1, -1), styles["BodyText"].fontName)]
        )
    )
    story += [
        Spacer(1, 0.4 * cm),
        _para(
            _("Total grant: %(amount)s %(currency)s, from %(start)s.")
            % {"amount": grant.amount, "currency": grant.currency, "start": grant.starts_on},
            styles["BodyText"],
        ),
        _para(_("Payment schedule"), styles["Heading3"]),
    ]
    tranches = [[_("Tranche"), _("Amount"), _("Payable after")]]
    for tranche in grant.tranches.all():
        after = (
            Report.Kind(tranche.after_report).label
            if tranche.after_report
            else _("signature of this agreement")
        )
        tranches.append([str(tranche.number), f"{tranche.amount} {grant.currency}", str(after)])
    story.append(
        Table(tranches, style=[("FONTNAME", (0, 0), (-1, -1), styles["BodyText"].fontName)])
    )
    story.append(_para(_("Reports"), styles["Heading3"]))
    for report in grant.reports.select_related("side__community"):
        story.append(
            _para(
                _("%(kind)s of %(side)s, due %(due)s.")
                % {"kind": report.get_kind_display(), "side": report.side, "due": report.due_on},
                styles["BodyText"],
            )
        )
    document.build(story)
    return buffer.getvalue()
