"""Send the webinars' join links and reminders (24 h and 1 h before) that are due (run by
the scheduler every few minutes; safe to run twice: each is sent once)."""

from typing import Any

from django.core.management.base import BaseCommand

from twinning.events.services.webinars import send_webinar_reminders


class Command(BaseCommand):
    help = "Queue the webinars' join links and reminders due now (each sent once)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_webinar_reminders()
        self.stdout.write(f"{summary.sent} webinar e-mail(s) queued.")
