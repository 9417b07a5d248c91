"""A fake of Django's mail backend (the outside world), for the mail-server-down tests: it
refuses the next `failures` sends as an SMTP server that is down would, then delivers to
django.core.mail.outbox like the test backend."""

import smtplib

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        return super().send_messages(email_messages)
