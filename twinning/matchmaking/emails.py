"""Matchmaking's e-mails, declared for the outbox; registered by MatchmakingConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

INTRODUCTION = "matchmaking.introduction"


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
