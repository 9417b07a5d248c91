"""Background work for accounts (C13): the password reset e-mail."""

import logging

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from twinning.accounts.models import User
from twinning.core.services import get_association

logger = logging.getLogger(__name__)


@task()
def send_password_reset_task(*, user_id: int, domain: str, use_https: bool, language: str) -> int:
    """Send the password reset link to an active user with a password; returns mails sent.

    The one-hour token is made here, when the mail is sent, so it never sits in the queue.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        logger.info("password reset e-mail skipped: user %s is gone or cannot sign in", user_id)
        return 0
    context = {
        "user": user,
        "email": user.email,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "site_name": get_association().name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.language or language):
        subject = render_to_string("accounts/emails/password_reset_subject.txt", context)
        body = render_to_string("accounts/emails/password_reset_email.txt", context)
    sent = send_mail(" ".join(subject.split()), body, None, [user.email])
    logger.info("password reset e-mail sent to user %s", user.pk)
    return sent
