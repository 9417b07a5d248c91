"""The exchange's e-mails (outbox registry): the sending contact's link, the guardian's consent
link, each status step of a student, a reference request, and the family's decision."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template


def register() -> None:
    register_template(
        "exchanges.contact_link",
        subject=_("Nominate your students for {{ season }}"),
        body=_(
            "Hello {{ contact_name }},\n\n{{ host }} offers {{ places }} place(s) to your "
            "city's students for {{ season }}. Nominate them here (the link works once, for "
            "{{ days }} days; after that your browser keeps you signed in to your students' "
            "page):\n{{ link_url }}\n"
        ),
        description=_("To a sending committee's contact: the single-use nomination link."),
        placeholders=("contact_name", "season", "host", "places", "link_url", "days"),
        secret_links=("link_url",),
    )
    register_template(
        "exchanges.guardian_consent",
        subject=_("Your consent for {{ student_name }}'s exchange"),
        body=_(
            "Hello,\n\n{{ student_name }} has been nominated for the high-school exchange "
            "({{ season }}) and you are named as their parent or guardian. Their place needs "
            "your consent.\n\nPlease read what we keep and answer each point separately here "
            "(the link works once, for {{ days }} days):\n{{ consent_url }}\n"
        ),
        description=_("To a nominated student's guardian: the single-use consent link."),
        placeholders=("student_name", "season", "consent_url", "days"),
        secret_links=("consent_url",),
    )
    register_template(
        "exchanges.student_status",
        subject=_("{{ student_name }}'s exchange: {{ status }}"),
        body=_(
            "Hello,\n\n{{ student_name }}'s exchange ({{ season }}) is now: {{ status }}."
            "{% if message %}\n\n{{ message }}{% endif %}\n"
        ),
        description=_("To a student and their sending contact at each step of the exchange."),
        placeholders=("student_name", "season", "status", "message"),
    )
    register_template(
        "exchanges.reference_request",
        subject=_("A reference for the {{ family_name }} family"),
        body=_(
            "Hello {{ referee_name }},\n\nthe {{ family_name }} family has applied to host an "
            "exchange student with {{ committee }} and named you as a reference. Please answer "
            "here (the link works once, for {{ days }} days):\n{{ link_url }}\n"
        ),
        description=_("To a host family's referee: the single-use reference link."),
        placeholders=("referee_name", "family_name", "committee", "days", "link_url"),
        secret_links=("link_url",),
    )
    register_template(
        "exchanges.family_decision",
        subject=_("Your application to host with {{ committee }}"),
        body=_(
            "Hello,\n\nyour application to host an exchange student ({{ family_name }} family) "
            "is {{ outcome }}.\n\nYour page: {{ page_url }}\n"
        ),
        description=_("To a host family when their application is approved or declined."),
        placeholders=("family_name", "committee", "outcome", "page_url"),
    )
