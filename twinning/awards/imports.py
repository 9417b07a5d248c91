"""Checking a CSV file of past years' winners (years before the awards ran on the platform)
before the import (`services/archive.py: import_honours`) writes it. Every row is accepted or
rejected with its line number and the reason; nothing is written here, so the same check is
the dry-run preview staff see first. Columns (header row, UTF-8):

    year, category, community, country, region, outcome, committee, nominee, title, story,
    partner

Required: year, category, community, country (ISO code), outcome (winner or honourable
mention). `community` + `country` (+ `region` when several match) name a community of the
registry. `committee` names the member committee (matched by name; one no longer in the
registry is kept by its name alone); empty, it is the community's member committee. `title`
defaults to the nominee or the committee."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from twinning.awards.models import Cycle, Honour
from twinning.core.dates import association_today
from twinning.core.exports import starts_formula
from twinning.network.models import Community, Member
from twinning.network.text import fold

COLUMNS = [
    "year",
    "category",
    "community",
    "country",
    "region",
    "outcome",
    "committee",
    "nominee",
    "title",
    "story",
    "partner",
]
REQUIRED = ["year", "category", "community", "country", "outcome"]
MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
EARLIEST_YEAR = 1900
OUTCOMES = {
    "winner": Honour.Outcome.WINNER,
    "honourable mention": Honour.Outcome.HONOURABLE_MENTION,
    "honorable mention": Honour.Outcome.HONOURABLE_MENTION,
    "honourable_mention": Honour.Outcome.HONOURABLE_MENTION,
    "mention": Honour.Outcome.HONOURABLE_MENTION,
}


class RowRejected(Exception):
    pass


@dataclass
class HonourCheck:
    """What a file would import: the honours (unsaved) with their lines, the rejected lines
    with their reasons, or an error about the file as a whole."""

    honours: list[tuple[int, Honour]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.rejected and bool(self.honours)


def _year(value: str, cycle_years: set[int]) -> int:
    if not value.isdigit():
        raise RowRejected(_("Year “%(v)s” is not a year like 2019.") % {"v": value[:20]})
    year, this_year = int(value), association_today().year
    if not EARLIEST_YEAR <= year <= this_year:
        raise RowRejected(
            _("Year %(y)s is not a past year (%(a)s to %(b)s).")
            % {"y": year, "a": EARLIEST_YEAR, "b": this_year}
        )
    if year in cycle_years:
        raise RowRejected(
            _("%(y)s has a cycle on the platform: its winners come from the announcement.")
            % {"y": year}
        )
    return year


def _community(row: dict[str, str]) -> Community:
    candidates = Community.objects.filter(
        country_id=row["country"].upper()[:2], search_name=fold(row["community"])
    )
    if row.get("region"):
        candidates = candidates.filter(region__iexact=row["region"])
    found = list(candidates[:2])
    if not found:
        raise RowRejected(
            _("No community “%(name)s” in %(country)s in the registry.")
            % {"name": row["community"][:100], "country": row["country"][:10]}
        )
    if len(found) > 1:
        raise RowRejected(_("Several communities match: add the region column to choose."))
    return found[0]


def _committee(row: dict[str, str], community: Community) -> tuple[Member | None, str]:
    if row.get("committee"):
        member = Member.objects.filter(name__iexact=row["committee"]).first()
        return member, member.name if member else row["committee"]
    members = list(community.members.order_by("pk")[:2])
    if len(members) != 1:
        raise RowRejected(
            _("%(community)s has %(n)s member committees: name one in the committee column.")
            % {"community": community.name, "n": len(members)}
        )
    return members[0], members[0].name


def _honour(row: dict[str, str], cycle_years: set[int]) -> Honour:
    missing = [c for c in REQUIRED if not row.get(c)]
    if missing:
        raise RowRejected(_("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
    formulas = [c for c, v in row.items() if starts_formula(v)]
    if formulas:
        raise RowRejected(
            _("%(columns)s start with =, +, -, @ or a tab, which a spreadsheet runs as a formula.")
            % {"columns": ", ".join(formulas)}
        )
    year = _year(row["year"], cycle_years)
    outcome = OUTCOMES.get(row["outcome"].casefold().strip())
    if outcome is None:
        raise RowRejected(
            _("Outcome “%(v)s” must be winner or honourable mention.") % {"v": row["outcome"][:40]}
        )
    community = _community(row)
    member, committee = _committee(row, community)
    honour = Honour(
        year=year,
        category=row["category"],
        outcome=outcome,
        member=member,
        committee=committee,
        community=community,
        community_name=community.name,
        partner_name=row.get("partner", ""),
        nominee_name=row.get("nominee", ""),
        title=row.get("title") or row.get("nominee") or committee,
        story=row.get("story", ""),
    )
    try:
        honour.full_clean()
    except ValidationError as error:
        raise RowRejected(" ".join(error.messages)) from None
    return honour


def _key(honour: Honour) -> tuple[Any, ...]:
    return (
        honour.year,
        honour.category.casefold(),
        honour.community_id,
        honour.nominee_name.casefold(),
    )


def _in_archive(honour: Honour) -> bool:
    return Honour.objects.filter(
        year=honour.year,
        category__iexact=honour.category,
        community=honour.community,
        nominee_name__iexact=honour.nominee_name,
    ).exists()


def check_honours(lines: Iterable[str]) -> HonourCheck:
    """Check every row of the CSV text lines; writes nothing (the preview and the import's
    first step)."""
    check = HonourCheck()
    reader = csv.DictReader(lines)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not set(REQUIRED) <= set(header):
        missing = ", ".join(c for c in REQUIRED if c not in header)
        check.error = _("The header row lacks the columns: %(c)s.") % {"c": missing}
        return check
    reader.fieldnames = header
    cycle_years = set(Cycle.objects.values_list("year", flat=True))
    seen: dict[tuple[Any, ...], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            check.rejected.append(
                (number, _("Too many rows: import at most %(n)s at once.") % {"n": MAX_ROWS})
            )
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k and isinstance(v, str | None)}
        if not any(row.values()):
            continue
        try:
            honour = _honour(row, cycle_years)
            key = _key(honour)
            if key in seen:
                raise RowRejected(_("The same honour as line %(n)s.") % {"n": seen[key]})
            if _in_archive(honour):
                raise RowRejected(_("This honour is already in the archive."))
        except RowRejected as rejection:
            check.rejected.append((number, str(rejection)))
        else:
            seen[key] = number
            check.honours.append((number, honour))
    return check
