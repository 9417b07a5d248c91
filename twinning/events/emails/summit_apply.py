"""The e-mails of the summit's application: the guardian's consent link, and staff told when a
guardian withdraws consent to taking part."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template


def register() -> None:
    register_template(
        "events.summit_consent_request",
        subject=_("Your consent for {{ student_name }} at {{ event_title }}"),
        body=_(
            "Hello,\n\n{{ student_name }} has applied to {{ event_title }} and named you as "
            "their parent or guardian. Their place can only be confirmed with your consent.\n\n"
            "Please read what we keep and answer each point separately here (the link works "
            "once, for {{ days }} days):\n{{ consent_url }}\n\n"
            "If you do not know about this application, you can ignore this e-mail.\n"
        ),
        description=_("To a summit applicant's guardian: the single-use consent link."),
        placeholders=("event_title", "student_name", "consent_url", "days"),
    )
    register_template(
        "events.summit_consent_withdrawn",
        subject=_("Consent withdrawn: {{ person_name }} at {{ event_title }}"),
        body=_(
            "Hello,\n\nthe guardian of {{ person_name }} has withdrawn consent to taking part "
            "in {{ event_title }}. Their place is no longer confirmed: the application awaits "
            "a decision again (their seat is still held).\n\nApplications: {{ staff_url }}\n"
        ),
        description=_("To staff when a summit student's consent to take part is withdrawn."),
        placeholders=("event_title", "person_name", "staff_url"),
    )
