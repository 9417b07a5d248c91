"""The staff member list as CSV or XLSX, the same filtered rows as the page. Text cells a
spreadsheet could read as a formula are neutralised (RELIABILITY E6): an apostrophe in CSV,
string-typed cells in XLSX, and characters XML forbids are removed."""

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from twinning.members.models import Status
from twinning.network.exports import safe_cell
from twinning.network.models import Member

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows(members):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def as_xlsx(members: QuerySet[Member]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = str(_("Members"))[:31]
    sheet.append(headers())
    for row in rows(members):
        sheet.append([_XML_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            # Stored as text, never as a formula, whatever its first character.
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
