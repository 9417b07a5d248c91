"""The e-mails of the activities app, registered with the outbox (imported in AppConfig.ready).
Staff can edit each text per language in the outbox; placeholders are listed here."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

CHANGES_REQUESTED = "activities.changes_requested"

register_template(
    CHANGES_REQUESTED,
    subject=_("Please update your activity report: {{ activity }}"),
    body=_(
        "Dear committee of {{ member }},\n\n"
        "{{ association_name }}'s staff read your report “{{ activity }}” (starting "
        "{{ start_date }}) and ask you to change it before they verify it:\n\n"
        "{{ message }}\n\n"
        "You can edit the report and submit it again on your portal: {{ portal_url }}\n"
    ),
    description=_("To a member's committee admins when staff send an activity report back."),
    placeholders=("member", "activity", "start_date", "message", "portal_url"),
)
