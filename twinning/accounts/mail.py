"""How accounts sends its e-mails without knowing the outbox (which sits above it, C3): the
outbox plugs its sender in from its AppConfig.ready (`twinning.outbox.accounts_mail`), and
accounts calls `send_account_mail`. With no sender plugged in, sending fails loudly: a
sign-up link must never be dropped in silence."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# (template key, recipient user, context) -> None; queues the e-mail after the commit.
AccountMailer = Callable[[str, Any, dict[str, Any]], None]

_sender: list[AccountMailer] = []


def set_account_mailer(sender: AccountMailer) -> None:
    _sender[:] = [sender]


def send_account_mail(*, template: str, user: Any, context: dict[str, Any]) -> None:
    if not _sender:
        raise ImproperlyConfigured("No account mailer: is twinning.outbox installed?")
    _sender[0](template, user, context)
