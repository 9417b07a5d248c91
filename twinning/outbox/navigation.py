"""The outbox's part of staff's home and menu: held and failed e-mails, and the e-mail texts."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.outbox.models import OutboxMessage


def _links(scope: Scope) -> list[Link]:
    return [
        Link(_("Outbox"), url("outbox:staff_message_list")),
        Link(_("E-mail texts"), url("outbox:staff_template_list")),
    ]


def _tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    counts = OutboxMessage.objects.state_counts()
    base = url("outbox:staff_message_list")
    return [
        Link(
            _("E-mails held for review"),
            f"{base}?{urlencode({'state': OutboxMessage.State.HELD})}",
            counts.get(OutboxMessage.State.HELD, 0),
        ),
        Link(
            _("E-mails that failed"),
            f"{base}?{urlencode({'state': OutboxMessage.State.FAILED})}",
            counts.get(OutboxMessage.State.FAILED, 0),
        ),
    ]


def register() -> None:
    register_section("staff", order=40, links=_links, tasks=_tasks)
