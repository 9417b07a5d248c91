"""The staff member list on 50 and 500 members (`.venv/bin/python bench/members.py`): SQL
queries per page at both sizes (goal: the same), and p50/p95 through gunicorn at 1 and 4
connections beside the in-run baseline (a bare view rendering a 20-row template; goal: p50
within 10x) for the list, a filtered list, a search and the CSV export, signed in as staff
with a verified second factor.

The data is synthetic, made in bulk (each member with a home community, one membership in one
of several states and an invoice, some part-paid), in its own SQLite database under
var/bench/members; nothing else is touched. The timing, the staff session and the server
are bench/common.py's (shared with bench/events.py)."""

import functools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASELINE,
    STAFF_CLIENT,
    STAFF_SESSION_SCRIPT,
    fresh_run_dir,
    get_page,
    latency_table,
    run_script,
)
from bench.run import BENCH_DIR, section

RUN_DIR = BENCH_DIR / "members"
PAGES = {
    BASELINE[0]: BASELINE[1],
    "staff member list": "/staff/members/",
    "staff list, status current": "/staff/members/?status=current",
    "staff list, search": "/staff/members/?q=committee+4",
    "staff list CSV export": "/staff/members/export.csv",
}

SEED_SCRIPT = r"""
import datetime, random, sys
from decimal import Decimal
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from twinning.members.models import (FeeBand, Invoice, InvoiceLine, Membership,
                                     MembershipType, Payment)
from twinning.network.models import Community, Country, Member, Region
from twinning.network.text import fold, name_key
target = int(sys.argv[1])
random.seed(7)
now = timezone.now()
today = datetime.date.today()
with transaction.atomic():
    if not Country.objects.exists():
        Country.objects.bulk_create([Country(code=c, name=c, region=r) for c, r in [
            ("US", Region.AMERICAS), ("FR", Region.EUROPE), ("JP", Region.ASIA),
            ("KE", Region.AFRICA), ("AU", Region.OCEANIA), ("DE", Region.EUROPE)]])
    countries = list(Country.objects.values_list("code", flat=True))
    kind, _ = MembershipType.objects.get_or_create(name="Bench membership",
                                                   defaults={"period": "rolling"})
    FeeBand.objects.get_or_create(membership_type=kind, min_population=0,
                                  defaults={"fee": Decimal("300")})
    have = Member.objects.count()
    for i in range(have, target):
        name = f"Bench Town {i}"
        town = Community.objects.create(name=name, name_key=name_key(name),
                                        search_name=fold(name), slug=f"bench-town-{i}",
                                        country_id=countries[i % len(countries)])
        member = Member.objects.create(name=f"Bench Committee {i}", slug=f"bench-committee-{i}")
        member.communities.add(town)
        start = today - datetime.timedelta(days=random.choice([30, 200, 380, 420, 800]))
        end = start + datetime.timedelta(days=364)
        ms = Membership.objects.create(member=member, membership_type=kind, start=start,
                                       end=end, grace_end=end + datetime.timedelta(days=30),
                                       fee=Decimal("300"), applied_at=now,
                                       approved_at=None if i % 9 == 0 else now)
        invoice = Invoice.objects.create(kind="invoice", member=member, membership=ms,
                                         currency="USD", total=Decimal("300"))
        InvoiceLine.objects.create(invoice=invoice, description="Dues", unit_price=Decimal("300"),
                                   amount=Decimal("300"))
        Invoice.objects.filter(pk=invoice.pk).update(number=f"B-{i}", year=2026, sequence=i + 1,
                                                     issued_at=now, issued_on=today)
        if i % 2:
            Payment.objects.create(invoice=invoice, amount=Decimal("150"), method="cheque",
                                   received_on=today)
# The seed writes rows directly, not through the services: store the summaries they would.
from twinning.members.services import refresh_member_summaries
refresh_member_summaries()
print(Member.objects.count())
"""

QUERY_SCRIPT = (
    STAFF_CLIENT
    + r"""
paths = json.loads(sys.argv[1])
out = {}
for label, path in paths.items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    out[label] = [status, len(queries.captured_queries)]
    assert status == 200, (path, status)
print(json.dumps(out))
"""
)


def run(script: str, *args: str) -> str:
    return run_script(RUN_DIR, script, *args)


def main() -> None:
    fresh_run_dir(RUN_DIR)
    cookie = run(STAFF_SESSION_SCRIPT)
    pages = {k: v for k, v in PAGES.items() if k != BASELINE[0]}
    counts = {}
    for size in (50, 500):
        print(f"  seeded {int(run(SEED_SCRIPT, str(size))):,} members")
        counts[size] = json.loads(run(QUERY_SCRIPT, json.dumps(pages)))
    section("SQL queries per page (goal: the same at both sizes)")
    print(f"  {'page':<34} {'50 members':>11} {'500 members':>12}")
    for label in pages:
        print(f"  {label:<34} {counts[50][label][1]:>11} {counts[500][label][1]:>12}")
    section("Latency at 500 members, gunicorn 2 workers, DEBUG off (ms; goal: p50 within 10x)")
    latency_table(
        RUN_DIR,
        {label: functools.partial(get_page, path, cookie) for label, path in PAGES.items()},
    )


if __name__ == "__main__":
    main()
