"""The e-mails of registration (orders, decisions, delegations' details links, the waiting
list), registered with the outbox. Staff can edit each text per language in the outbox."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

_ORDER = ("event_title", "order_code", "attendees", "total", "currency", "order_url", "message")
_DECISION = ("event_title", "person_name", "order_code", "order_url", "message")


def register() -> None:
    register_template(
        "events.registration_confirmed",
        subject=_("You are registered: {{ event_title }} (order {{ order_code }})"),
        body=_(
            "Hello,\n\nyour registration for {{ event_title }} is confirmed.\n\n"
            "Order {{ order_code }}:\n{{ attendees }}\n\nTotal: {{ total }} {{ currency }}\n\n"
            "Your order, to change a name or cancel: {{ order_url }}\n"
        ),
        description=_("To whoever registers, when the registration is confirmed."),
        placeholders=_ORDER,
    )
    register_template(
        "events.registration_applied",
        subject=_("We received your application for {{ event_title }}"),
        body=_(
            "Hello,\n\nthank you: your application for {{ event_title }} (order "
            "{{ order_code }}) is received and your seat is held while our staff review it. "
            "We will write to you with their decision.\n\n{{ attendees }}\n\n"
            "Your order: {{ order_url }}\n"
        ),
        description=_("To whoever applies for an event that requires approval."),
        placeholders=_ORDER,
    )
    register_template(
        "events.application_approved",
        subject=_("Your place at {{ event_title }} is confirmed"),
        body=_(
            "Dear {{ person_name }},\n\nyour application for {{ event_title }} is approved: "
            "your place is confirmed.\n{% if message %}\n{{ message }}\n{% endif %}\n"
            "Your order: {{ order_url }}\n"
        ),
        description=_("To an applicant when staff approve their application."),
        placeholders=_DECISION,
    )
    register_template(
        "events.application_declined",
        subject=_("About your application for {{ event_title }}"),
        body=_(
            "Dear {{ person_name }},\n\nwe are sorry: we cannot offer you a place at "
            "{{ event_title }}.\n\n{{ message }}\n"
        ),
        description=_("To an applicant when staff decline their application."),
        placeholders=_DECISION,
    )
    register_template(
        "events.application_waitlisted",
        subject=_("You are on the waiting list of {{ event_title }}"),
        body=_(
            "Dear {{ person_name }},\n\nwe cannot confirm your place at {{ event_title }} yet: "
            "you are on its waiting list, and we will write to you as soon as a seat is yours "
            "to take.\n{% if message %}\n{{ message }}\n{% endif %}"
        ),
        description=_("To an applicant whom staff move to the waiting list."),
        placeholders=_DECISION,
    )
    register_template(
        "events.registration_cancelled",
        subject=_("Cancelled: {{ event_title }} (order {{ order_code }})"),
        body=_(
            "Hello,\n\nthese registrations for {{ event_title }} are cancelled:\n"
            "{{ attendees }}\n\nRefund under the event's policy: {{ refund }} {{ currency }}. "
            "Where your committee was invoiced, a credit note follows.\n\n"
            "Your order: {{ order_url }}\n"
        ),
        description=_("To whoever registered, when registrations are cancelled."),
        placeholders=("event_title", "order_code", "attendees", "refund", "currency", "order_url"),
    )
    register_template(
        "events.delegation_details_link",
        subject=_("{{ event_title }}: please complete your details"),
        body=_(
            "Dear {{ person_name }},\n\n{{ leader_name }} registered you for {{ event_title }} "
            "with the delegation of {{ member_name }}. Please complete your own details (they "
            "are yours: your delegation's leader does not see them) through this link, which "
            "works once, until {{ expires }}:\n\n{{ details_url }}\n"
        ),
        description=_("To each person of a delegation, with their single-use details link."),
        placeholders=(
            "event_title",
            "person_name",
            "member_name",
            "leader_name",
            "details_url",
            "expires",
        ),
        secret_links=("details_url",),
    )
    register_template(
        "events.waiting_list_joined",
        subject=_("You are on the waiting list of {{ event_title }}"),
        body=_(
            "Dear {{ person_name }},\n\nyour party of {{ party_size }} is on the waiting list "
            "of {{ event_title }}. When seats free up for you, we will send you an offer to "
            "accept within a limited time.\n"
        ),
        description=_("To whoever joins an event's waiting list."),
        placeholders=("event_title", "person_name", "party_size"),
    )
    register_template(
        "events.waiting_list_offer",
        subject=_("Seats for you at {{ event_title }}: answer by {{ expires }}"),
        body=_(
            "Dear {{ person_name }},\n\n{{ party_size }} seat(s) at {{ event_title }} are held "
            "for you until {{ expires }}. Accept or decline here (the link works once):\n\n"
            "{{ offer_url }}\n\nWithout an answer by then, the seats go to the next party "
            "waiting.\n"
        ),
        description=_("To the party waiting longest that fits, when seats free up."),
        placeholders=("event_title", "person_name", "party_size", "offer_url", "expires"),
        secret_links=("offer_url",),
    )
    register_template(
        "events.waiting_list_offer_expired",
        subject=_("Your offer for {{ event_title }} has expired"),
        body=_(
            "Dear {{ person_name }},\n\nthe seats offered to you at {{ event_title }} were "
            "not taken in time, so they went to the next party waiting. You can join the "
            "waiting list again from the event's page.\n"
        ),
        description=_("To a party whose waiting-list offer expired."),
        placeholders=("event_title", "person_name"),
    )
