"""Things with no domain: the timestamped base model, the audit log and the association's own
settings (its name, contact details, currency, time zone and languages are data, not code)."""

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.core.banking import (
    compact,
    display_account_number,
    looks_like_iban,
    validate_account_number,
    validate_bank_code,
)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ActivityLog(models.Model):
    """One decision or change, written by the service that made it (C15). Append-only."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone, e.g. Europe/Paris."), params={"value": value}
        )


def _validate_languages(value: list) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value or not set(value) <= known:
        raise ValidationError(
            _("Choose one or more of the languages Twinning offers: %(codes)s."),
            params={"codes": ", ".join(sorted(known))},
        )


class Association(TimeStampedModel):
    """The association running this site: one row, edited by staff."""

    name = models.CharField(_("name"), max_length=200, default="Twinning Association")
    short_name = models.CharField(_("short name"), max_length=40, default="Twinning")
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        default="Connecting communities across borders, one partnership at a time.",
    )
    logo = models.ImageField(_("logo"), upload_to="association/", blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # How members pay by bank transfer: printed on every invoice with its number to quote.
    bank_account_holder = models.CharField(_("account holder"), max_length=140, blank=True)
    bank_account_number = models.CharField(
        _("IBAN or account number"),
        max_length=42,
        blank=True,
        validators=[validate_account_number],
    )
    bank_code = models.CharField(
        _("BIC or routing number"),
        max_length=20,
        blank=True,
        validators=[validate_bank_code],
        help_text=_("The BIC (SWIFT code) for an IBAN; the routing number (ABA) in the US."),
    )
    bank_name = models.CharField(_("bank name"), max_length=140, blank=True)
    payment_instructions = models.TextField(
        _("payment instructions"),
        blank=True,
        help_text=_("Anything else members should know to pay, e.g. cheques payable to…"),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code, e.g. USD, EUR.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[_validate_time_zone],
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[_validate_languages],
        help_text=_("Language codes the site offers, the first being the default."),
    )

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("association")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="association_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        import pycountry

        if pycountry.currencies.get(alpha_3=(self.currency or "").upper()) is None:
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code, e.g. USD.")})
        self.currency = self.currency.upper()
        if self.bank_account_number.strip() and not self.bank_account_holder.strip():
            raise ValidationError(
                {"bank_account_holder": _("Give the account holder's name with the account.")}
            )
        if looks_like_iban(self.bank_account_number):
            self.bank_account_number = compact(self.bank_account_number)
        self.bank_code = compact(self.bank_code)

    @property
    def bank_account_display(self) -> str:
        return display_account_number(self.bank_account_number)

    @property
    def has_payment_details(self) -> bool:
        return bool(self.bank_account_number.strip() or self.payment_instructions.strip())

    @classmethod
    def load(cls) -> "Association":
        obj, _created = cls.objects.get_or_create(
            pk=1, defaults={"languages": [code for code, _name in settings.LANGUAGES]}
        )
        return obj


class ScheduledJob(models.Model):
    """A periodic job (a management command named in settings.TWINNING_SCHEDULE) and when it
    next runs. The row is the claim: one scheduler process runs a due job once, however many
    schedulers start (`manage.py run_scheduler`)."""

    name = models.CharField(_("command"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class TaskLease(models.Model):
    """A running background task's lease (DUR-4): which worker process holds the task and
    until when. The worker renews it while the task runs (`twinning.core.leases`); when it
    lapses, the worker died, and `manage.py sweep_tasks` retries the task or fails it visibly.
    One row per running task of the database backend, deleted when the task ends."""

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="lease",
    )
    worker_id = models.CharField(_("worker"), max_length=64)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    renewed_at = models.DateTimeField(_("last renewed"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.hostname}:{self.pid}"
