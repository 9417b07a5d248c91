"""The funding programs' e-mails, declared for the outbox; registered by GrantsConfig.ready().
Decision letters are queued *held*, so staff read them before they go."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

SIGNATURE_REQUEST = "grants.signature_request"
DECISION_FUNDED = "grants.decision_funded"
DECISION_DECLINED = "grants.decision_declined"
REPORT_REMINDER = "grants.report_reminder"
REPORT_RETURNED = "grants.report_returned"


def register() -> None:
    register_template(
        SIGNATURE_REQUEST,
        subject=_("Please co-sign the application “{{ title }}”"),
        body=_(
            "Hello {{ name }},\n\n"
            "{{ lead }} has written a joint application to {{ program }} with {{ community }}: "
            "“{{ title }}”.\n\n"
            "Read it, enter your side's budget if you wish, and sign it here (the link works "
            "once):\n{{ sign_url }}"
        ),
        description=_("To a partner's contact, asking them to co-sign an application."),
        placeholders=["name", "lead", "program", "community", "title", "sign_url"],
    )
    register_template(
        DECISION_FUNDED,
        subject=_("Your application “{{ title }}” is funded"),
        body=_(
            "Hello,\n\n"
            "We are pleased to tell you that {{ program }} funds “{{ title }}” with "
            "{{ amount }}.\n{{ reason }}\n\n"
            "The grant agreement and the report dates: {{ grant_url }}"
        ),
        description=_("Decision letter to a funded application's sides (held for staff)."),
        placeholders=["program", "title", "amount", "reason", "grant_url"],
    )
    register_template(
        DECISION_DECLINED,
        subject=_("Your application “{{ title }}”"),
        body=_(
            "Hello,\n\n"
            "Thank you for applying to {{ program }}. We are sorry that “{{ title }}” could "
            "not be funded in this call.\n{{ reason }}"
        ),
        description=_("Decision letter to an application not funded (held for staff)."),
        placeholders=["program", "title", "reason"],
    )
    register_template(
        REPORT_REMINDER,
        subject=_("{{ report }} for “{{ title }}”: {{ when }}"),
        body=_(
            "Hello,\n\n"
            "The {{ report }} of {{ community }} on the grant “{{ title }}” is due on "
            "{{ due_on }} ({{ when }}).\n\nWrite it here: {{ report_url }}"
        ),
        description=_("Reminder of a grant report, 30 and 7 days before and when overdue."),
        placeholders=["report", "title", "community", "due_on", "when", "report_url"],
    )
    register_template(
        REPORT_RETURNED,
        subject=_("{{ report }} for “{{ title }}” returned"),
        body=_(
            "Hello,\n\nStaff returned the {{ report }} of {{ community }} on “{{ title }}” "
            "with these comments:\n\n{{ comment }}\n\nChange it here: {{ report_url }}"
        ),
        description=_("To a side's admins when staff return a report."),
        placeholders=["report", "title", "community", "comment", "report_url"],
    )
