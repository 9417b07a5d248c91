"""The staff member list as CSV or XLSX, the same filtered rows as the page. Text cells a
spreadsheet could read as a formula are neutralised (INPUT-6): an apostrophe in CSV,
string-typed cells in XLSX, and characters XML forbids are removed."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from twinning.core.exports import Sheet, csv_text, xlsx_bytes
from twinning.members.models import Status
from twinning.network.models import Member


def headers() -> list[str]:
    return [
        _("Name"),
        _("Kind"),
        _("Communities"),
        _("Countries"),
        _("Status"),
        _("Membership ends"),
        _("Balance owed"),
    ]


def rows(members: QuerySet[Member]) -> Iterator[list[Any]]:
    labels = dict(Status.choices)
    for member in members:
        communities = list(member.communities.all())
        yield [
            member.name,
            member.get_kind_display(),
            "; ".join(c.name for c in communities),
            "; ".join(sorted({c.country_id for c in communities})),
            str(labels.get(member.membership_status, _("No membership"))),  # type: ignore[attr-defined]
            member.membership_end.isoformat() if member.membership_end else "",  # type: ignore[attr-defined]
            str(Decimal(member.balance_owed).quantize(Decimal("0.01"))),  # type: ignore[attr-defined]
        ]


def as_csv(members: QuerySet[Member]) -> str:
    return csv_text(headers(), rows(members))


def as_xlsx(members: QuerySet[Member]) -> bytes:
    return xlsx_bytes([Sheet(title=_("Members"), header=headers(), rows=rows(members))])
