"""Renewal reminders, each sent once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.members.models.memberships import Membership


class ReminderSent(models.Model):
    """One renewal reminder sent for one membership: the unique constraint makes sending
    idempotent (IDEM-4), whoever runs the scheduler and however often."""

    class Kind(models.TextChoices):
        DAYS_60 = "60", _("60 days before the end")
        DAYS_30 = "30", _("30 days before the end")
        DAYS_7 = "7", _("7 days before the end")
        GRACE = "grace", _("In grace")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(_("reminder"), max_length=6, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    to = models.EmailField(_("sent to"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.kind}"
