"""Relief's e-mails, declared for the outbox; registered by ReliefConfig.ready(). Updates to
donors are non-essential (the outbox adds the unsubscribe link); links to the partner side
are transactional and single-use (stored redacted in the outbox)."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

PARTNER_NEEDS = "relief.partner_needs"
PARTNER_RECEIPT = "relief.partner_receipt"
UPDATE = "relief.update"
DONATION_RECEIPT = "relief.donation_receipt"


def register() -> None:
    register_template(
        PARTNER_NEEDS,
        subject=_("Please confirm the needs of “{{ title }}”"),
        body=_(
            "Hello {{ name }},\n\n"
            "{{ association }} is raising support for {{ community }}: “{{ title }}”.\n\n"
            "Nothing is shown to donors as a need until you confirm it. Confirm, correct or "
            "add the needs here (the link works once):\n{{ link }}"
        ),
        description=_("To the partner side's contact, asking them to confirm an appeal's needs."),
        placeholders=["name", "association", "community", "title", "link"],
        secret_links=["link"],
    )
    register_template(
        PARTNER_RECEIPT,
        subject=_("Shipment for “{{ title }}”: please confirm what arrived"),
        body=_(
            "Hello {{ name }},\n\n"
            "A shipment for “{{ title }}” ({{ shipment }}) is marked delivered. Please count "
            "what arrived and confirm it here, with a photo (the link works once):\n{{ link }}"
        ),
        description=_("To the partner side's contact, asking them to confirm a receipt."),
        placeholders=["name", "title", "shipment", "link"],
        secret_links=["link"],
    )
    register_template(
        UPDATE,
        subject=_("{{ appeal }}: {{ title }}"),
        body=_("{{ body }}\n\nThe appeal, its needs and its ledger: {{ url }}"),
        description=_("A progress update, to donors who asked for the appeal's updates."),
        placeholders=["appeal", "title", "body", "url"],
        transactional=False,
    )
    register_template(
        DONATION_RECEIPT,
        subject=_("Your receipt for “{{ title }}”"),
        body=_(
            "Hello {{ name }},\n\n"
            "{{ association }} received your gift of {{ amount }} for “{{ title }}”. Thank "
            "you: it is used for this appeal only, and its public ledger shows every amount "
            "received and spent.\n\n"
            "Your receipt {{ number }} (PDF) can be downloaded once, within {{ days }} days, "
            "here:\n{{ link }}"
        ),
        description=_("To a donor whose gift was received: a single-use link to the receipt."),
        placeholders=["name", "association", "amount", "title", "number", "days", "link"],
        secret_links=["link"],
    )
