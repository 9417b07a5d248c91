"""Bulk mailings to members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class BulkMailing(TimeStampedModel):
    """One bulk e-mail to a segment of members: its messages wait in the outbox for review."""

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    segment = models.JSONField(_("segment"), default=dict)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk mailing")
        verbose_name_plural = _("bulk mailings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
