"""The staff member list on 50 and 500 members (`.venv/bin/python bench/members.py`): SQL
queries per page at both sizes (goal: the same), and p50/p95 through gunicorn at 1 and 4
connections beside the in-run baseline (a bare view rendering a 20-row template; goal: p50
within 10x) for the list, a filtered list, a search and the CSV export, signed in as staff
with a verified second factor.

The data is synthetic, made in bulk (each member with a home community, one membership in one
of several states and an invoice, some part-paid), in its own SQLite database under
var/bench/members; nothing else is touched. Reuses bench/run.py's helpers."""

import http.client
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    BENCH_DIR,
    HOST,
    PORT,
    PYTHON,
    ROOT,
    env_for,
    manage,
    section,
    start_server,
)

RUN_DIR = BENCH_DIR / "members"
PAGES = {
    "baseline (bare view, 20 rows)": "/bench/baseline/",
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

SESSION_SCRIPT = r"""
import time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice
from twinning.accounts.models import User
from twinning.accounts.sessions import SIGNED_IN_AT
user, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session["otp_device_id"] = device.persistent_id
session[SIGNED_IN_AT] = int(time.time())
session.save()
print(session.session_key)
"""

QUERY_SCRIPT = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from twinning.accounts.models import User
paths = json.loads(sys.argv[1])
user = User.objects.get(email="bench-staff@example.org")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
session = client.session
session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
session.save()
out = {}
for label, path in paths.items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    out[label] = [status, len(queries.captured_queries)]
    assert status == 200, (path, status)
print(json.dumps(out))
"""


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "-c", script, *args],
        cwd=ROOT,
        env=env_for(RUN_DIR),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def measure(path: str, cookie: str, requests: int, connections: int = 1) -> dict[str, float]:
    """Like bench/run.py's measure, with the staff session's cookie: `connections` clients at
    once, `requests` each after five to warm up."""
    headers = {"Host": HOST, "Cookie": f"sessionid={cookie}"}
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        mine, failed = [], 0
        for i in range(requests + 5):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if i >= 5:  # the first five warm up
                mine.append(time.perf_counter() - start)
                failed += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
    }


def main() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    manage(RUN_DIR, "migrate", "--noinput")
    manage(RUN_DIR, "collectstatic", "--noinput")
    cookie = run(SESSION_SCRIPT)
    pages = {k: v for k, v in PAGES.items() if not k.startswith("baseline")}
    counts = {}
    for size in (50, 500):
        print(f"  seeded {int(run(SEED_SCRIPT, str(size))):,} members")
        counts[size] = json.loads(run(QUERY_SCRIPT, json.dumps(pages)))
    section("SQL queries per page (goal: the same at both sizes)")
    print(f"  {'page':<34} {'50 members':>11} {'500 members':>12}")
    for label in pages:
        print(f"  {label:<34} {counts[50][label][1]:>11} {counts[500][label][1]:>12}")
    section("Latency at 500 members, gunicorn 2 workers, DEBUG off (ms; goal: p50 within 10x)")
    server = start_server(RUN_DIR)
    try:
        print(f"  {'conns':>5}  {'page':<34} {'p50':>8} {'p95':>8} {'x base':>7} {'errors':>6}")
        for connections in (1, 4):
            base = None
            for label, path in PAGES.items():
                result = measure(path, cookie, 60 if connections == 1 else 30, connections)
                base = base or result["p50"]
                print(
                    f"  {connections:>5}  {label:<34} {result['p50']:8.1f} {result['p95']:8.1f} "
                    f"{result['p50'] / base:7.1f} {result['errors']:>6}"
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
