"""The outbox: every automatic or bulk e-mail as a row staff can read before it goes
(`OutboxMessage`), the texts staff override per language (`EmailTemplate`), and the addresses
that asked for no more non-essential mail (`Unsubscribe`)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, now: datetime.datetime) -> "OutboxMessageQuerySet":
        """Messages a sender should try now: queued ones whose time has come, and ones left
        "sending" by a worker that died (their lease, kept in next_attempt_at, has run out)."""
        return self.filter(
            state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.SENDING],
            next_attempt_at__lte=now,
        ).order_by("next_attempt_at", "pk")

    def reviewable(self) -> "OutboxMessageQuerySet":
        """Messages staff may still edit and send: held for review or failed for good."""
        return self.filter(state__in=OutboxMessage.EDITABLE_STATES)

    def state_counts(self) -> dict[str, int]:
        """{state: number of messages}, every state present (zero when none), in one query."""
        counts = self.aggregate(
            **{state: Count("pk", filter=Q(state=state)) for state in OutboxMessage.State.values}
        )
        return {state: counts[state] or 0 for state in OutboxMessage.State.values}


class OutboxMessage(TimeStampedModel):
    """One e-mail to one address, rendered when it was queued; staff may edit it while held."""

    class State(models.TextChoices):
        HELD = "held", _("Held for review")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    EDITABLE_STATES = (State.HELD, State.FAILED)
    DISCARDABLE_STATES = (State.HELD, State.QUEUED, State.FAILED)

    to = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    template = models.CharField(_("template"), max_length=100, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.HELD, db_index=True
    )
    transactional = models.BooleanField(
        _("essential"),
        default=True,
        help_text=_(
            "Essential mail (sign-in, receipts, decisions) is sent even to addresses that "
            "unsubscribed; other mail carries an unsubscribe link."
        ),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True
    )
    # {redacted link as shown in subject and body: the live link}. The live links go only into
    # the e-mail sent, and are forgotten once it is sent or discarded (registry.secret_links).
    secret_links = models.JSONField(default=dict, blank=True, editable=False)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def get_absolute_url(self) -> str:
        return reverse("outbox:staff_message_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_discardable(self) -> bool:
        return self.state in self.DISCARDABLE_STATES


class EmailTemplate(TimeStampedModel):
    """Staff's text for one registered e-mail in one language, used instead of the code's."""

    key = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="outbox_one_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"

    def clean(self) -> None:
        # Imported here: the registry renders with the template engine and is not a model
        # concern at import time.
        from twinning.outbox.registry import validate_override

        validate_override(self.key, subject=self.subject, body=self.body)


class Unsubscribe(models.Model):
    """An address that asked for no more non-essential mail (lower-cased by the service)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("from the message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
