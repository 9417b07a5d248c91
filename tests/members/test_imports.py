"""Import of members from CSV: each row imported or rejected with its line and reason."""

from django.core.management import call_command

from tests.factories import CommunityFactory
from twinning.core.authz import SYSTEM
from twinning.members.imports import import_members
from twinning.members.models import Membership
from twinning.network.models import Contact, Member

HEADER = "name,kind,community,country,region,website,membership_type,start,end,"
CSV = (
    HEADER
    + """billing_name,billing_email
Springfield Twinning,committee,Springfield,US,,,Community membership,2026-07-01,,Bill,b@example.org
No Town Club,committee,Atlantis,US,,,,,,,
Bad Date Club,committee,Capital City,US,,,Community membership,01/07/2026,,,
,committee,Capital City,US,,,,,,,
Wrong Kind,guild,Capital City,US,,,,,,,
Springfield Twinning,committee,Capital City,US,,,,,,,
Bad Mail,committee,Capital City,US,,,,,,x,not-an-email
Unknown Type,committee,Capital City,US,,,Platinum,2026-07-01,,,
"""
)


def test_rows_are_imported_or_rejected_with_line_and_reason(db, membership_type, springfield):
    CommunityFactory(name="Capital City", country=springfield.country)

    report = import_members(CSV.splitlines(), by=SYSTEM)

    assert report.imported == 1
    assert [line for line, _reason in report.rejected] == [3, 4, 5, 6, 7, 8, 9]
    reasons = dict(report.rejected)
    assert "No community “Atlantis”" in reasons[3]
    assert "not a date" in reasons[4]
    assert "Missing: name" in reasons[5]
    assert "Kind must be" in reasons[6]
    assert "exists already" in reasons[7]
    assert "billing e-mail" in reasons[8]
    assert "Unknown membership type" in reasons[9]
    member = Member.objects.get(name="Springfield Twinning")
    membership = Membership.objects.get(member=member)
    assert (str(membership.start), str(membership.end)) == ("2026-07-01", "2027-06-30")
    assert member.contacts.get().role == Contact.Role.BILLING


def test_missing_header_is_reported(db):
    report = import_members(["who,where", "a,b"], by=SYSTEM)

    assert "header row" in report.error
    assert not Member.objects.exists()


def test_command_writes_the_rejection_report(db, membership_type, springfield, tmp_path, capsys):
    source = tmp_path / "members.csv"
    source.write_text(CSV, encoding="utf-8")
    report = tmp_path / "rejected.csv"

    call_command("import_members", str(source), "--report", str(report))

    assert "1 imported, 7 rejected." in capsys.readouterr().out
    assert report.read_text().splitlines()[0] == "line,reason"
    assert len(report.read_text().splitlines()) == 8
