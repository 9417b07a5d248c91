"""The featured winner: one winner of the last few years' public honours, shown on the public
home page and changing every ISO week, so the home page walks through the winners over the
year. The pick is deterministic (the week's number modulo the winners, in a fixed order): the
same for every request and every process in the same week, never random per request.

It is cached under the week and a fingerprint of the honours (their count and latest change,
one query answered from the table). Announcing a cycle and importing past years write
honours, so the fingerprint changes and the next request picks again among the new winners;
no service needs to invalidate anything. A committee's own honours show on its dashboard.

Both reach their pages as panels (`core.panels`, slots `network.home` and
`members.dashboard`, registered in AppConfig.ready): neither `network` nor `members` imports
the awards."""

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.text import Truncator

from twinning.awards.models import Attachment, Honour
from twinning.core.dates import association_today
from twinning.core.panels import Panel, register_panel

YEARS = 5  # the winners of the latest five years of the archive take turns
STORY_WORDS = 60
CACHE_SECONDS = 60 * 60  # bounds how long a change made outside the services stays unseen
DASHBOARD_HONOURS = 5
_MISSING = object()


def week_number(day: datetime.date) -> int:
    """Consecutive ISO weeks give consecutive numbers, across the turn of a year too."""
    iso = day.isocalendar()
    return iso.year * 53 + iso.week


def _fingerprint() -> str:
    found = Honour.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    last = found["last"].isoformat() if found["last"] else ""
    return f"{found['n']}:{last}"


def _candidates() -> list[int]:
    """The public winners of the archive's latest YEARS years, in a fixed order."""
    winners = Honour.objects.public().filter(outcome=Honour.Outcome.WINNER)
    latest = winners.aggregate(latest=Max("year"))["latest"]
    if latest is None:
        return []
    return list(
        winners.filter(year__gt=latest - YEARS)
        .order_by("-year", "category", "pk")
        .values_list("pk", flat=True)
    )


def _photo(honour: Honour) -> dict[str, str] | None:
    if honour.nomination_id is None:
        return None
    attachment = (
        Attachment.objects.filter(nomination_id=honour.nomination_id, kind=Attachment.Kind.IMAGE)
        .exclude(thumb_name="")
        .order_by("pk")
        .first()
    )
    if attachment is None:
        return None
    return {
        "url": reverse(
            "awards:winner_photo",
            kwargs={"pk": honour.pk, "photo": attachment.pk, "size": "thumb"},
        ),
        "alt": attachment.caption or honour.title,
    }


def _pick(number: int) -> dict[str, Any] | None:
    candidates = _candidates()
    if not candidates:
        return None
    honour = Honour.objects.select_related("community__country").get(
        pk=candidates[number % len(candidates)]
    )
    country = honour.community.country.name if honour.community else ""
    return {
        "url": honour.get_absolute_url(),
        "title": honour.title,
        "honour": honour.honour_text(),
        "who": honour.nominee_name or honour.committee,
        "community": ", ".join(part for part in (honour.community_name, country) if part),
        "partner": honour.partner_name,
        "story": Truncator(honour.story).words(STORY_WORDS),
        "photo": _photo(honour),
    }


def featured_winner(day: datetime.date | None = None) -> dict[str, Any] | None:
    """This week's featured winner as plain values (what the home page shows), or None when
    the archive has no public winner. One query when cached, five at most otherwise."""
    number = week_number(day or association_today())
    key = f"awards:featured:{number}:{_fingerprint()}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = _pick(number)
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[return-value]  # what _pick stored


def featured_block(**_page: Any) -> Panel | None:
    winner = featured_winner()
    return Panel("awards/_featured.html", {"winner": winner}) if winner else None


def committee_honours_block(member: Any) -> Panel | None:
    """The committee's own public honours on its dashboard (one query)."""
    honours = list(
        Honour.objects.public()
        .filter(member=member)
        .order_by("-year", "category", "pk")[:DASHBOARD_HONOURS]
    )
    return Panel("awards/_committee_honours.html", {"honours": honours}) if honours else None


def register() -> None:
    register_panel("network.home", featured_block, order=50)
    register_panel("members.dashboard", committee_honours_block, order=50)
