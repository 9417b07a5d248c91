"""Dates in the association's calendar, the one copy every app uses.

Storage is UTC (settings.TIME_ZONE); the association's own time zone decides which day it is.
A request has it activated by `AssociationMiddleware`, but a worker, the scheduler or a
management command does not: code that dates something ("today", a letter's date, a deadline)
asks `association_today()` here, never `timezone.localdate()`, so a letter built by a worker
at 23:30 UTC carries the association's date, not UTC's.
"""

import calendar
import datetime
import zoneinfo

from django.utils import timezone

from twinning.core.services import get_association


def association_zone() -> zoneinfo.ZoneInfo:
    """The association's time zone (UTC if its setting names no zone this system knows)."""
    try:
        return zoneinfo.ZoneInfo(get_association().time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def association_today() -> datetime.date:
    """Today in the association's time zone, whatever zone is active."""
    return timezone.now().astimezone(association_zone()).date()


def association_date(moment: datetime.datetime) -> datetime.date:
    """The association's calendar day of an aware moment (e.g. a deadline's closing time)."""
    return moment.astimezone(association_zone()).date()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier, if negative), or the month's last day when that
    month has fewer days (31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
