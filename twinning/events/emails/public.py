"""The e-mails of the events' public part and programme: a webinar's join link and its
reminders 24 hours and 1 hour before (sent once each by `send_webinar_reminders`)."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

WEBINAR_JOIN = "events.webinar_join"
WEBINAR_REMINDER = "events.webinar_reminder"
_PLACEHOLDERS = ("person_name", "title", "starts", "partner", "join_url", "event_url", "hours")


def register() -> None:
    register_template(
        WEBINAR_JOIN,
        subject=_("Your link to join the webinar {{ title }}"),
        body=_(
            "Dear {{ person_name }},\n\n"
            "You are registered for the webinar {{ title }}"
            "{% if partner %}, given with {{ partner }}{% endif %}, on {{ starts }}.\n\n"
            "Join it here: {{ join_url }}\n\n"
            "Please keep this link to yourself: it is for registered participants only. "
            "We will remind you 24 hours and 1 hour before it starts.\n\n"
            "The webinar's page: {{ event_url }}\n"
        ),
        description=_("To a webinar's registrant: the link to join it."),
        placeholders=_PLACEHOLDERS,
        secret_links=["join_url"],
    )
    register_template(
        WEBINAR_REMINDER,
        subject=_("Reminder: the webinar {{ title }} starts in {{ hours }} hour(s)"),
        body=_(
            "Dear {{ person_name }},\n\n"
            "The webinar {{ title }}{% if partner %}, given with {{ partner }}{% endif %}, "
            "starts on {{ starts }}.\n\n"
            "Join it here: {{ join_url }}\n\n"
            "The webinar's page: {{ event_url }}\n"
        ),
        description=_("To a webinar's registrant: a reminder 24 hours and 1 hour before."),
        placeholders=_PLACEHOLDERS,
        secret_links=["join_url"],
    )
