"""Matchmaking's e-mails, declared for the outbox; registered by MatchmakingConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

INTRODUCTION = "matchmaking.introduction"
EXPERTISE_LINK = "matchmaking.expertise_link"
EXPERTISE_MATCH = "matchmaking.expertise_match"


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
