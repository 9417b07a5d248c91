"""The awards' e-mails, declared for the outbox (registered by AwardsConfig.ready()): the
confirmation asked of a nominee's committee (its single-use link never shown to staff), and
the announcement to winners and to the other nominees, which `announce_results` queues *held*
so staff read them before they are sent."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

CONFIRM_REQUEST = "awards.confirm_request"
RESULT_HONOURED = "awards.result_honoured"
RESULT_NOMINEE = "awards.result_nominee"


def register() -> None:
    register_template(
        CONFIRM_REQUEST,
        subject=_("Please confirm a nomination for the {{ cycle }}"),
        body=_(
            "Hello,\n\n"
            "{{ nominator }} nominated {{ nominee }} of {{ member }} in the category "
            "“{{ category }}” of the {{ cycle }}.\n\n"
            "The nomination counts only once your committee confirms it. Read it and confirm "
            "here (the link works once, until {{ expires }}):\n{{ confirm_url }}\n\n"
            "If you do not recognise this nomination, ignore this e-mail."
        ),
        description=_("To a committee's admins when a third party nominates one of theirs."),
        placeholders=[
            "nominator",
            "nominee",
            "member",
            "category",
            "cycle",
            "expires",
            "confirm_url",
        ],
        secret_links=["confirm_url"],
    )
    register_template(
        RESULT_HONOURED,
        subject=_("{{ cycle }}: {{ outcome }} in {{ category }}"),
        body=_(
            "Hello,\n\n"
            "Congratulations! The nomination “{{ title }}” of {{ member }} is {{ outcome }} "
            "in the category “{{ category }}” of the {{ cycle }}.\n\n"
            "Your certificate will be ready to download shortly:\n{{ nomination_url }}\n\n"
            "{{ banquet }}\n\n"
            "All the winners: {{ archive_url }}"
        ),
        description=_("To a winning or honoured committee when the awards are announced (held)."),
        placeholders=[
            "member",
            "cycle",
            "title",
            "category",
            "outcome",
            "nomination_url",
            "banquet",
            "archive_url",
        ],
    )
    register_template(
        RESULT_NOMINEE,
        subject=_("{{ cycle }}: the results"),
        body=_(
            "Hello,\n\n"
            "The results of the {{ cycle }} are announced. The nomination “{{ title }}” of "
            "{{ member }} in “{{ category }}” was not among the winners this year; thank you "
            "for the work it describes, and for telling us about it.\n\n"
            "All the winners: {{ archive_url }}"
        ),
        description=_("To the other nominated committees when the awards are announced (held)."),
        placeholders=["member", "cycle", "title", "category", "archive_url"],
    )
