"""The accounts app's e-mails, sent through the outbox: accounts sits below the outbox (C3),
so the outbox registers the texts and plugs its sender into `twinning.accounts.mail`
(OutboxConfig.ready). The confirmation link is a secret link: staff see it redacted."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from twinning.accounts.mail import set_account_mailer
from twinning.outbox.registry import register_template


def _send(template: str, user: Any, context: dict[str, Any]) -> None:
    from twinning.outbox.services import queue_email

    queue_email(to=user.email, template=template, context=context, recipient=user)


def register() -> None:
    register_template(
        "accounts.verify_email",
        subject=_("Confirm your e-mail address for {{ association_name }}"),
        body=_(
            "Dear {{ person_name }},\n\n"
            "To finish creating your account with {{ association_name }}, open this link "
            "and confirm your address:\n\n{{ verify_url }}\n\n"
            "The link works once, for {{ hours }} hours. If you did not sign up, ignore this "
            "message: without the confirmation no account is opened.\n"
        ),
        description=_("To a person who signed up on the site: the link that confirms the address."),
        placeholders=("person_name", "verify_url", "hours"),
        sample={"person_name": "Pat", "verify_url": "https://example.org/confirm/", "hours": 48},
        secret_links=("verify_url",),
    )
    register_template(
        "accounts.signup_existing",
        subject=_("You already have an account with {{ association_name }}"),
        body=_(
            "Hello,\n\n"
            "Someone, probably you, tried to create an account with {{ association_name }} for "
            "this address, which already has one. Sign in here:\n\n{{ login_url }}\n\n"
            "Forgot your password? The sign-in page lets you choose a new one. If it was not "
            "you, ignore this message: nothing changed.\n"
        ),
        description=_("To the owner of an address used again to sign up."),
        placeholders=("login_url",),
        sample={"login_url": "https://example.org/accounts/login/"},
    )
    set_account_mailer(_send)
