"""The awards' open call on a committee's dashboard (members.calls)."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from twinning.awards.models import Cycle
from twinning.core.dates import association_date


def awards_calls(member: Any, today: datetime.date) -> list[Any]:
    from twinning.members.calls import OpenCall

    return [
        OpenCall(
            title=_("%(cycle)s: nominate your program or a volunteer") % {"cycle": cycle.title},
            url=reverse("awards:portal", kwargs={"member": member.slug}),
            deadline=association_date(cycle.closes_at),
            program=_("Awards"),
        )
        for cycle in Cycle.objects.open_at().order_by("closes_at")
    ]
