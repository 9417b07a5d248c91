"""Membership types with their fee table, and the money helpers every model shares."""

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from twinning.core.dates import add_months
from twinning.core.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


ZERO = Decimal("0.00")


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    """The date, with the day clamped to the month's length (29 February in other years)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class MembershipType(TimeStampedModel):
    """A kind of membership: how long it runs, how long the grace lasts and what it costs."""

    class Period(models.TextChoices):
        FIXED = "fixed", _("Fixed: the association's fiscal year")
        ROLLING = "rolling", _("Rolling: 12 months from the start")

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.FIXED
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts (month)"), default=1
    )
    fiscal_year_start_day = models.PositiveSmallIntegerField(
        _("fiscal year starts (day)"), default=1
    )
    rollover_month = models.PositiveSmallIntegerField(
        _("roll-over date (month)"),
        null=True,
        blank=True,
        help_text=_("A fixed-period join on or after this date covers the next fiscal year too."),
    )
    rollover_day = models.PositiveSmallIntegerField(
        _("roll-over date (day)"), null=True, blank=True
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=30,
        help_text=_("Days after the end during which the membership is in grace."),
    )
    active = models.BooleanField(_("offered to new members"), default=True)

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12)
                & Q(fiscal_year_start_day__gte=1, fiscal_year_start_day__lte=31),
                name="membershiptype_fiscal_start_valid",
            ),
            models.CheckConstraint(
                condition=Q(rollover_month__isnull=True, rollover_day__isnull=True)
                | Q(
                    rollover_month__gte=1,
                    rollover_month__lte=12,
                    rollover_day__gte=1,
                    rollover_day__lte=31,
                ),
                name="membershiptype_rollover_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            datetime.date(2001, self.fiscal_year_start_month, self.fiscal_year_start_day)
        except (TypeError, ValueError):
            raise ValidationError(
                {"fiscal_year_start_day": _("This day does not exist in that month.")}
            ) from None
        if (self.rollover_month is None) != (self.rollover_day is None):
            raise ValidationError(
                {"rollover_day": _("Give both the month and the day of the roll-over, or neither.")}
            )
        if self.rollover_month is not None:
            try:
                datetime.date(2001, self.rollover_month, self.rollover_day)  # type: ignore[arg-type]
            except ValueError:
                raise ValidationError(
                    {"rollover_day": _("This day does not exist in that month.")}
                ) from None

    def fiscal_year_of(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the fiscal year containing `day`."""
        start = _safe_date(day.year, self.fiscal_year_start_month, self.fiscal_year_start_day)
        if start > day:
            start = _safe_date(
                day.year - 1, self.fiscal_year_start_month, self.fiscal_year_start_day
            )
        following = _safe_date(
            start.year + 1, self.fiscal_year_start_month, self.fiscal_year_start_day
        )
        return start, following - datetime.timedelta(days=1)

    def period_for(self, start: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The (start, end) of a membership beginning on `start`.

        Rolling: 12 months less a day. Fixed: to the end of the fiscal year; a join on or after
        the roll-over date of that fiscal year runs to the end of the next one (so a member who
        joins in May of a year ending in June is not asked to pay again six weeks later)."""
        if self.period == self.Period.ROLLING:
            return start, add_months(start, 12) - datetime.timedelta(days=1)
        fy_start, fy_end = self.fiscal_year_of(start)
        if self.rollover_month is not None and self.rollover_day is not None:
            rollover = _safe_date(fy_start.year, self.rollover_month, self.rollover_day)
            if rollover < fy_start:
                rollover = _safe_date(fy_start.year + 1, self.rollover_month, self.rollover_day)
            if start >= rollover:
                return start, self.fiscal_year_of(fy_end + datetime.timedelta(days=1))[1]
        return start, fy_end

    def fee_for(self, population: int | None) -> Decimal | None:
        """The fee for a member whose communities have this population (None: no band fits)."""
        people = population or 0
        for band in self.fee_bands.all():
            if band.min_population <= people and (
                band.max_population is None or people <= band.max_population
            ):
                return band.fee
        return None


class FeeBand(models.Model):
    """One row of a membership type's fee table: a population range and its yearly fee."""

    membership_type = models.ForeignKey(
        MembershipType, on_delete=models.CASCADE, related_name="fee_bands"
    )
    min_population = models.PositiveBigIntegerField(_("population from"), default=0)
    max_population = models.PositiveBigIntegerField(
        _("population up to"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    fee = models.DecimalField(_("fee"), **MONEY)

    class Meta:
        verbose_name = _("fee band")
        verbose_name_plural = _("fee bands")
        ordering = ["membership_type", "min_population"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="feeband_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(max_population__isnull=True)
                | Q(max_population__gte=F("min_population")),
                name="feeband_range_ordered",
                violation_error_message=_("The upper limit must not be below the lower one."),
            ),
            models.UniqueConstraint(
                fields=["membership_type", "min_population"], name="feeband_unique_start"
            ),
        ]

    def __str__(self) -> str:
        upper = self.max_population if self.max_population is not None else "…"
        return f"{self.min_population}–{upper}: {self.fee}"
