"""Matchmaking's e-mails, declared for the outbox; registered by MatchmakingConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

INTRODUCTION = "matchmaking.introduction"
EXPERTISE_LINK = "matchmaking.expertise_link"
EXPERTISE_MATCH = "matchmaking.expertise_match"
EXPERTISE_RECEIVED = "matchmaking.expertise_received"
EXPERTISE_WITHDRAWN = "matchmaking.expertise_withdrawn"
EXPERTISE_DECLINED = "matchmaking.expertise_declined"


def register() -> None:
    register_template(
        INTRODUCTION,
        subject=_("An introduction: {{ community }} and {{ partner }}"),
        body=_(
            "Hello,\n\n"
            "{{ community }} and {{ partner }} ({{ partner_country }}) have both said they are "
            "interested in becoming partners. We are glad to introduce you.\n\n"
            "{{ partner_text }}\n\n"
            "You can write to {{ partner_contacts }}.\n\n"
            "The proposed partnership is recorded in the registry; staff will mark it active "
            "once you agree: {{ partner_url }}"
        ),
        description=_("To both sides of a mutual interest found by matchmaking."),
        placeholders=[
            "community",
            "partner",
            "partner_country",
            "partner_text",
            "partner_contacts",
            "partner_url",
        ],
        sample={
            "community": "Springfield",
            "partner": "Kragujevac",
            "partner_country": "Serbia",
            "partner_text": "We look for youth and arts exchanges.",
            "partner_contacts": "ana@example.org",
            "partner_url": "https://example.org/communities/kragujevac/",
        },
    )
    register_template(
        EXPERTISE_LINK,
        subject=_("{{ member }} invites you to ask for municipal expertise"),
        body=_(
            "Hello {{ name }},\n\n"
            "{{ member }}, your partner, invites {{ community }} to tell us about a problem "
            "its municipal services would like help with (sanitation, water, health, "
            "transportation, tourism, economic development, education...). We will look for "
            "peers who have solved it.\n\n"
            "Write your request here (the link works once, for {{ days }} days):\n{{ url }}"
        ),
        description=_("To a partner abroad: the single-use link to write an expertise request."),
        placeholders=["name", "member", "community", "days", "url"],
        secret_links=("url",),
        sample={
            "name": "Ana",
            "member": "Springfield Sister Cities",
            "community": "Kragujevac",
            "days": "30",
            "url": "https://example.org/expertise/request/abc/",
        },
    )
    register_template(
        EXPERTISE_MATCH,
        subject=_(
            "Peer learning in {{ field }}: {{ offer_community }} and {{ request_community }}"
        ),
        body=_(
            "Hello,\n\n"
            "{{ request_community }} asked for help in {{ field }}:\n{{ problem }}\n\n"
            "{{ offer_community }} offered its expertise:\n{{ summary }}\n\n"
            "We have matched the two ({{ form }}). Please get in touch: {{ contacts }}.\n\n"
            "Once the exchange has taken place, the association records what came of it "
            "(policies adopted, people trained)."
        ),
        description=_("To both sides of an expertise request matched with an offer."),
        placeholders=[
            "field",
            "offer_community",
            "request_community",
            "problem",
            "summary",
            "form",
            "contacts",
        ],
        sample={
            "field": "Water",
            "offer_community": "Springfield",
            "request_community": "Kragujevac",
            "problem": "Leaks in the old network.",
            "summary": "Our utility cut its losses by half.",
            "form": "A video call",
            "contacts": "ana@example.org, bob@example.org",
        },
    )
    register_template(
        EXPERTISE_RECEIVED,
        subject=_("Your request for help in {{ field }} is open"),
        body=_(
            "Hello {{ name }},\n\n"
            "We have received the request of {{ community }} for help in {{ field }} and look "
            "for peers who can help. We will introduce you by e-mail once we find them.\n\n"
            "If you no longer need help, withdraw the request here (the link works once):\n"
            "{{ url }}"
        ),
        description=_(
            "To a partner abroad that wrote an expertise request: the link to withdraw it."
        ),
        placeholders=["name", "community", "field", "url"],
        secret_links=("url",),
        sample={
            "name": "Ana",
            "community": "Kragujevac",
            "field": "Water",
            "url": "https://example.org/expertise/request/abc/",
        },
    )
    register_template(
        EXPERTISE_WITHDRAWN,
        subject=_("The request of {{ community }} for help is withdrawn"),
        body=_(
            "Hello,\n\n"
            "The request of {{ community }} for help in {{ field }} has been withdrawn; any "
            "exchange planned for it will not take place.\n\n"
            "Why: {{ reason }}"
        ),
        description=_(
            "To the other side when an expertise request is withdrawn: the offering member "
            "if it was matched, the partner or the member that sent the partner's link."
        ),
        placeholders=["community", "field", "reason"],
        sample={"community": "Kragujevac", "field": "Water", "reason": "Solved locally."},
    )
    register_template(
        EXPERTISE_DECLINED,
        subject=_("{{ by_community }} declined the exchange in {{ field }}"),
        body=_(
            "Hello,\n\n"
            "{{ by_community }} has declined the peer-learning exchange in {{ field }} with "
            "{{ other_community }}.\n\n"
            "Why: {{ reason }}\n\n"
            "A request declined this way is open again: the association looks for another "
            "offer."
        ),
        description=_("To the other side of an expertise match that one side declined."),
        placeholders=["by_community", "other_community", "field", "reason"],
        sample={
            "by_community": "Springfield",
            "other_community": "Kragujevac",
            "field": "Water",
            "reason": "Our engineers are not available this year.",
        },
    )
