"""The showcase's open calls on a committee's dashboard (members.calls): an edition open for
entries, and, for a committee, the invitation to run its own local round before judging opens."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.dates import association_date
from twinning.members.calls import OpenCall
from twinning.showcase.models import Edition, JudgingRound


def showcase_calls(member: Any, today: datetime.date) -> list[OpenCall]:
    """One call per edition open for entries; a local-round prompt if the committee has none."""
    editions = list(Edition.objects.open_at(timezone.now()).order_by("closes_at"))
    with_local_round = set(
        JudgingRound.objects.local()
        .filter(member=member, edition__in=editions)
        .values_list("edition_id", flat=True)
    )
    calls = []
    for edition in editions:
        deadline = association_date(edition.closes_at)
        calls.append(
            OpenCall(
                title=_("Young Artists and Authors Showcase %(year)s: %(theme)s")
                % {"year": edition.year, "theme": edition.theme},
                url=edition.get_absolute_url(),
                deadline=deadline,
                program=_("Showcase"),
            )
        )
        if edition.pk not in with_local_round:
            calls.append(
                OpenCall(
                    title=_("Run a local round of the %(year)s showcase for your students")
                    % {"year": edition.year},
                    url=reverse(
                        "showcase:portal_local_round",
                        kwargs={"edition": edition.slug},
                    ),
                    deadline=deadline,
                    program=_("Showcase"),
                )
            )
    return calls
