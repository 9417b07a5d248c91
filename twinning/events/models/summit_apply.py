"""The Youth Leadership Summit's applications: which young person (youth.Person, whose guardian
consents per program) an applied attendee is. The attendee holds the seat and the state; the
person holds the date of birth, the guardian and the consents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel

from .registration import Attendee

__all__ = ["SummitApplication"]


class SummitApplication(TimeStampedModel):
    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="summit_application"
    )
    person = models.ForeignKey(
        "youth.Person",
        verbose_name=_("young person"),
        on_delete=models.CASCADE,
        related_name="summit_applications",
    )

    class Meta:
        verbose_name = _("summit application")
        verbose_name_plural = _("summit applications")

    def __str__(self) -> str:
        return str(self.attendee)
