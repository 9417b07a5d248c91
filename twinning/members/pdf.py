"""An invoice or credit note as a PDF (reportlab): the association's details, the member's,
the lines, the total, what is paid and what is still owed. Built on request from the frozen
document, so the same invoice always prints the same."""

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from twinning.core.pdf import font_names, stylesheet
from twinning.core.services import get_association
from twinning.members.models import Invoice


def _para(text: str, style) -> Paragraph:  # type: ignore[no-untyped-def]
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _dates(invoice: Invoice) -> list[str]:
    lines = [_("Date: %(date)s") % {"date": invoice.issued_on}]
    if invoice.kind == Invoice.Kind.INVOICE and invoice.due_on:
        lines.append(_("Due on: %(date)s") % {"date": invoice.due_on})
    if invoice.credits is not None:
        lines.append(_("Credits invoice %(number)s") % {"number": invoice.credits.number})
    return lines


def how_to_pay(invoice: Invoice, owed: Decimal) -> list[str]:
    """The paragraphs telling how to pay what is still owed: the reference to quote, the
    association's current bank details (a changed account is never printed stale) and its
    instructions. Empty for a credit note or when nothing is owed."""
    if invoice.kind != Invoice.Kind.INVOICE or owed <= 0:
        return []
    association = get_association()
    lines = [
        _("Please quote the reference %(number)s with your payment.") % {"number": invoice.number}
    ]
    if association.bank_account_number:
        details = [
            _("Account holder: %(v)s") % {"v": association.bank_account_holder},
            _("IBAN or account number: %(v)s") % {"v": association.bank_account_display},
        ]
        if association.bank_code:
            details.append(_("BIC or routing number: %(v)s") % {"v": association.bank_code})
        if association.bank_name:
            details.append(_("Bank: %(v)s") % {"v": association.bank_name})
        details.append(_("Reference: %(v)s") % {"v": invoice.number})
        lines.append("\n".join(details))
    if association.payment_instructions.strip():
        lines.append(association.payment_instructions.strip())
    return lines


def invoice_pdf(invoice: Invoice, *, paid: Decimal, credited: Decimal) -> bytes:
    styles = stylesheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{invoice.get_kind_display()} {invoice.number}",
        author=invoice.issuer.split("\n", 1)[0],
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    money = lambda v: f"{v:,.2f} {invoice.currency}"  # noqa: E731 - a local formatter
    story = [
        _para(invoice.issuer, styles["Normal"]),
        Spacer(1, 8 * mm),
        _para(f"{invoice.get_kind_display()} {invoice.number}", styles["Title"]),
        _para("\n".join(_dates(invoice)), styles["Normal"]),
        Spacer(1, 6 * mm),
        _para(_("Billed to"), styles["Heading3"]),
        _para(invoice.billed_to, styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    rows = [[_("Description"), _("Quantity"), _("Unit price"), _("Amount")]]
    rows.extend(
        [
            _para(line.description, styles["Normal"]),
            f"{line.quantity:g}",
            money(line.unit_price),
            money(line.amount),
        ]
        for line in invoice.lines.all()
    )
    total_row = len(rows)
    rows.append(["", "", _("Total"), money(invoice.total)])
    if invoice.kind == Invoice.Kind.INVOICE:
        rows.append(["", "", _("Paid"), money(paid)])
        if credited:
            rows.append(["", "", _("Credited"), money(credited)])
        rows.append(["", "", _("Still owed"), money(invoice.total - paid - credited)])
    table = Table(rows, colWidths=[90 * mm, 20 * mm, 32 * mm, 32 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, 0), font_names()[1]),
                ("LINEABOVE", (2, total_row), (-1, total_row), 0.5, colors.grey),
            ]
        )
    )
    story.append(table)
    payment = how_to_pay(invoice, invoice.total - paid - credited)
    if payment:
        story += [Spacer(1, 6 * mm), _para(_("How to pay"), styles["Heading3"])]
        story += [_para(text, styles["Normal"]) for text in payment]
    if invoice.note:
        story += [Spacer(1, 6 * mm), _para(invoice.note, styles["Normal"])]
    doc.build(story)
    return buffer.getvalue()
