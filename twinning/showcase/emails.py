"""The showcase's e-mails (students' and guardians' side), declared for the outbox; imported by
ShowcaseConfig.ready(). Links are absolute, built by the services from settings.SITE_URL."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

CONSENT_REQUEST = "showcase.consent_request"
CONSENT_CONFIRMED = "showcase.consent_confirmed"
CONSENT_WITHDRAWN = "showcase.consent_withdrawn"
ENTRY_SUBMITTED = "showcase.entry_submitted"
ERASURE_REQUESTED = "showcase.erasure_requested"


def register() -> None:
    register_template(
        CONSENT_REQUEST,
        subject=_("Your consent is needed: {{ first_name }} would like to enter the showcase"),
        body=_(
            "Hello,\n\n"
            "{{ first_name }} has registered for the {{ edition }} Young Artists and Authors "
            "Showcase of {{ association_name }} and gave this address as that of a parent or "
            "guardian.\n\n"
            "Because {{ first_name }} is under 18, they can only take part with your consent. "
            "The page below explains what we keep and why, and asks you separately whether "
            "{{ first_name }} may take part and whether their work may be published.\n\n"
            "{{ consent_url }}\n\n"
            "This link works once and expires on {{ expires }}. If you did not expect this "
            "message, ignore it: nothing happens without your answer."
        ),
        description=_("To a guardian: the single-use link to consent for a student under 18."),
        placeholders=["first_name", "edition", "consent_url", "expires"],
        secret_links=["consent_url"],
    )
    register_template(
        CONSENT_CONFIRMED,
        subject=_("Your answer for {{ first_name }} is recorded"),
        body=_(
            "Hello,\n\n"
            "Thank you. Your answer for {{ first_name }} is recorded:\n"
            "- taking part in the showcase: {{ participation }}\n"
            "- publishing the work with first name, community and country: {{ publication }}\n\n"
            "You can change your mind at any time, download the data we hold about "
            "{{ first_name }} or ask us to erase it, on this page:\n\n{{ manage_url }}\n\n"
            "Keep this e-mail: the link is personal."
        ),
        description=_("To a guardian: the consent recorded, with the link to manage it."),
        placeholders=["first_name", "participation", "publication", "manage_url"],
        secret_links=["manage_url"],
    )
    register_template(
        CONSENT_WITHDRAWN,
        subject=_("Consent withdrawn for {{ first_name }}"),
        body=_(
            "Hello,\n\n"
            "Consent to {{ scope }} for {{ first_name }} was withdrawn on {{ when }}. It took "
            "effect at once.\n\nManage the consent: {{ manage_url }}"
        ),
        description=_("To a guardian: confirmation that a consent was withdrawn."),
        placeholders=["first_name", "scope", "when", "manage_url"],
        secret_links=["manage_url"],
    )
    register_template(
        ENTRY_SUBMITTED,
        subject=_("Your entry “{{ title }}” is submitted"),
        body=_(
            "Hello {{ first_name }},\n\n"
            "Your entry “{{ title }}” in {{ category }} is submitted. You can still change it "
            "until {{ closes }}.\n\n{{ entries_url }}"
        ),
        description=_("To a student: receipt for a submitted entry."),
        placeholders=["first_name", "title", "category", "closes", "entries_url"],
    )
    register_template(
        ERASURE_REQUESTED,
        subject=_("We received your request to erase data (reference {{ reference }})"),
        body=_(
            "Hello,\n\n"
            "We received a request to erase the data we hold about {{ first_name }} "
            "(reference {{ reference }}). We will carry it out by {{ due_on }} at the latest."
        ),
        description=_("To a student or guardian: receipt of an erasure request."),
        placeholders=["first_name", "reference", "due_on"],
    )
