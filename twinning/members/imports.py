"""Import of member organisations from CSV (moving from a spreadsheet or another CRM).
Every row is imported or rejected with its line number and a reason; nothing half-done: each
row is its own savepoint. Columns (header row, UTF-8):

    name, kind, community, country, region, website, membership_type, start, end,
    billing_name, billing_email

`community` + `country` (ISO code) + optional `region` must name a community already in the
registry. With `membership_type` and `start`, an approved membership is recorded (its end from
the type's rules unless `end` is given)."""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user
from twinning.core.services import log_activity
from twinning.members.models import Membership, MembershipType
from twinning.members.services.summary import refresh_member_summaries
from twinning.network.models import Community, Contact, Member
from twinning.network.services import add_contact, create_member
from twinning.network.text import fold

COLUMNS = [
    "name",
    "kind",
    "community",
    "country",
    "region",
    "website",
    "membership_type",
    "start",
    "end",
    "billing_name",
    "billing_email",
]
REQUIRED = ["name", "community", "country"]
MAX_ROWS = 5000


class RowRejected(Exception):
    pass


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    error: str = ""  # the file as a whole could not be read

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["line", "reason"])
        writer.writerows(self.rejected)
        return out.getvalue()


def _date(value: str, column: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RowRejected(
            _("%(column)s “%(value)s” is not a date like 2026-07-01.")
            % {"column": column, "value": value[:40]}
        ) from None


def _community(row: dict[str, str]) -> Community:
    candidates = Community.objects.filter(
        country_id=row["country"].upper(), search_name=fold(row["community"])
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


def _import_row(row: dict[str, str], types: dict[str, MembershipType], by: Any) -> None:
    missing = [c for c in REQUIRED if not row.get(c)]
    if missing:
        raise RowRejected(_("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
    kind = row.get("kind") or Member.Kind.COMMITTEE
    if kind not in Member.Kind.values:
        raise RowRejected(_("Kind must be one of: %(k)s.") % {"k": ", ".join(Member.Kind.values)})
    if Member.objects.filter(name__iexact=row["name"]).exists():
        raise RowRejected(
            _("A member named “%(name)s” exists already.") % {"name": row["name"][:100]}
        )
    community = _community(row)
    membership_type = None
    if row.get("membership_type"):
        membership_type = types.get(row["membership_type"].casefold())
        if membership_type is None:
            raise RowRejected(
                _("Unknown membership type “%(t)s”.") % {"t": row["membership_type"][:60]}
            )
    start, end = _date(row.get("start", ""), "start"), _date(row.get("end", ""), "end")
    if membership_type is not None and start is None:
        raise RowRejected(_("A membership type needs a start date."))
    if row.get("billing_email"):
        try:
            validate_email(row["billing_email"])
        except ValidationError:
            raise RowRejected(_("The billing e-mail is not a valid address.")) from None
    try:
        member = create_member(
            name=row["name"],
            kind=kind,
            communities=[community],
            website=row.get("website", ""),
            by=by,
        )
        if row.get("billing_email"):
            add_contact(
                member=member,
                name=row.get("billing_name") or row["name"],
                role=Contact.Role.BILLING,
                email=row["billing_email"],
                by=by,
            )
        if membership_type is not None and start is not None:
            computed_end = membership_type.period_for(start)[1]
            final_end = end or computed_end
            membership = Membership(
                member=member,
                membership_type=membership_type,
                start=start,
                end=final_end,
                grace_end=final_end + datetime.timedelta(days=membership_type.grace_days),
                applied_at=timezone.now(),
                approved_at=timezone.now(),
                decided_by=acting_user(by),
                application_note=_("Imported"),
            )
            membership.full_clean()
            membership.save()
            membership.communities.set([community])
            refresh_member_summaries([member])
    except ValidationError as error:
        raise RowRejected(" ".join(error.messages)) from None


def import_members(lines: Iterable[str], *, by: Any, source: str = "") -> ImportReport:
    """Import members from CSV text lines; returns the report (imported count, rejections).
    `by` is verified staff (the upload page) or SYSTEM (the command): the registry's services
    it calls check it."""
    report = ImportReport()
    reader = csv.DictReader(lines)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not set(REQUIRED) <= set(header):
        report.error = _("The header row must name at least: %(c)s.") % {"c": ", ".join(REQUIRED)}
        return report
    reader.fieldnames = header
    types = {t.name.casefold(): t for t in MembershipType.objects.all()}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            report.rejected.append(
                (number, _("Too many rows: import at most %(n)s at once.") % {"n": MAX_ROWS})
            )
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            with transaction.atomic():
                _import_row(row, types, by)
        except RowRejected as rejection:
            report.rejected.append((number, str(rejection)))
        else:
            report.imported += 1
    if acting_user(by) is not None and report.imported:
        log_activity(
            by,
            "members.import.ran",
            by=by,
            data={
                "source": source[:200],
                "imported": report.imported,
                "rejected": len(report.rejected),
            },
        )
    return report


def decode_upload(data: bytes) -> list[str] | None:
    """The uploaded bytes as lines of text, or None if it is not UTF-8 text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return text.splitlines()
