"""Today in the association's time zone: every dated rule of membership uses it."""

import datetime
import zoneinfo

from django.utils import timezone

from twinning.core.services import get_association


def association_today() -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(get_association().time_zone)).date()
