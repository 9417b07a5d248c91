"""The exchange's e-mails (outbox registry): the sending contact's link, the guardian's consent
link, each status step of a student, a reference request, the family's decision, a change of
placement (to the families and coordinators concerned) and a guardian's withdrawal of consent
(to the coordinators)."""

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


PLACEMENT_CHANGED = "exchanges.placement_changed"
CONSENT_WITHDRAWN = "exchanges.consent_withdrawn"


def register_placement() -> None:
    """Section 3's e-mails about a placement and its consent. None names a restricted value,
    the reason a placement changed, nor anything about a household beyond the family's name."""
    register_template(
        PLACEMENT_CHANGED,
        subject=_("{{ student_name }}'s placement has changed"),
        body=_(
            "Hello,\n\nthe placement of {{ student_name }} ({{ season }}) has changed. From "
            "{{ starts_on }}, {{ student_name }} lives with the {{ family_name }} family and "
            "attends {{ school }}; the local coordinator is {{ coordinator_name }}.\n\n"
            "Details (after signing in):\n{{ page_url }}\n"
        ),
        description=_(
            "To the host families (the one the student leaves and the new one) and the local "
            "coordinators of a placement that changed."
        ),
        placeholders=(
            "student_name",
            "season",
            "starts_on",
            "family_name",
            "school",
            "coordinator_name",
            "page_url",
        ),
    )
    register_template(
        CONSENT_WITHDRAWN,
        subject=_("Consent withdrawn: {{ student_name }}"),
        body=_(
            "Hello,\n\n{{ student_name }}'s guardian has withdrawn their consent to: "
            "{{ scopes }}. This took effect at once.\n\nThe student's page:\n{{ page_url }}\n"
        ),
        description=_(
            "To the hosting committee's coordinators of an exchange student whose guardian "
            "withdrew a consent."
        ),
        placeholders=("student_name", "scopes", "page_url"),
    )


# --- Monitoring and incidents (section 3) ------------------------------------------------------
# No special-category value goes in these: an incident's mail names neither its type nor what
# happened, only that one waits and where to read it (after signing in).

CONTACT_OVERDUE = "exchanges.contact_overdue"
INCIDENT_REPORTED = "exchanges.incident_reported"
INCIDENT_REPORT_OVERDUE = "exchanges.incident_report_overdue"


def register_monitoring() -> None:
    register_template(
        CONTACT_OVERDUE,
        subject=_("Monthly contact overdue: {{ student_name }}"),
        body=_(
            "Hello {{ coordinator_name }},\n\nno monthly contact is recorded for "
            "{{ student_name }} ({{ committee }}) in {{ months }}: {{ missing }}.\n\n"
            "Record the contacts here:\n{{ page_url }}\n"
        ),
        description=_("To a placement's local coordinator, once per month left without contact."),
        placeholders=(
            "coordinator_name",
            "student_name",
            "committee",
            "months",
            "missing",
            "page_url",
        ),
    )
    register_template(
        INCIDENT_REPORTED,
        subject=_("An exchange incident was recorded ({{ committee }})"),
        body=_(
            "Hello,\n\nan incident concerning a student hosted by {{ committee }} was recorded."
            "{% if due %} It must be reported to the Department of State by {{ due }}.{% endif %}"
            "\n\nRead it here (after confirming it is you):\n{{ page_url }}\n"
        ),
        description=_(
            "To the hosting committee's exchange coordinator and welfare staff: an incident "
            "waits (never its details)."
        ),
        placeholders=("committee", "due", "page_url"),
    )
    register_template(
        INCIDENT_REPORT_OVERDUE,
        subject=_("Overdue: an incident report to the Department of State ({{ committee }})"),
        body=_(
            "Hello,\n\nthe report to the Department of State of an incident concerning a student "
            "hosted by {{ committee }} was due by {{ due }} and is not recorded as filed.\n\n"
            "Record it here:\n{{ page_url }}\n"
        ),
        description=_("To welfare staff, once, when an incident's mandatory report is overdue."),
        placeholders=("committee", "due", "page_url"),
    )
