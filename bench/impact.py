"""The impact page on 2,000 and 20,000 verified activities (`.venv/bin/python bench/impact.py`):
SQL queries per page at both sizes (goal: the same), and p50/p95 through gunicorn beside the
in-run baseline (a bare view rendering a 20-row template; goal: p50 within 10x), for the cached
page, and the time of the first request after the data changed (the figures recomputed).

The data is synthetic and made in bulk (500 members, each with a home community and three
partners across the world; activities on those partnerships), in its own SQLite database
under var/bench/impact; nothing else is touched. Reuses bench/run.py's helpers."""

import http.client
import json
import shutil
import subprocess
import sys
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
    fetch,
    manage,
    measure,
    section,
    start_server,
)

RUN_DIR = BENCH_DIR / "impact"
PAGES = {
    "baseline (bare view, 20 rows)": "/bench/baseline/",
    "impact": "/impact/",
    "impact, one region": "/impact/?region=europe",
    "impact, one year and country": "/impact/?year=2025&country=FR",
    "impact CSV": "/impact/export.csv",
}

SEED_SCRIPT = r"""
import datetime, random, sys
from decimal import Decimal
import django
django.setup()
from django.db import transaction
from twinning.activities.models import Activity, SECTOR_KINDS
from twinning.network.models import Community, Country, Member, Partnership, Region
from twinning.network.text import fold, name_key
target = int(sys.argv[1])
random.seed(11)
with transaction.atomic():
    if not Country.objects.exists():
        codes = [("US", Region.AMERICAS), ("FR", Region.EUROPE), ("DE", Region.EUROPE),
                 ("JP", Region.ASIA), ("KE", Region.AFRICA), ("BR", Region.AMERICAS),
                 ("AU", Region.OCEANIA), ("IT", Region.EUROPE), ("CN", Region.ASIA),
                 ("MX", Region.AMERICAS), ("NG", Region.AFRICA), ("PL", Region.EUROPE)]
        Country.objects.bulk_create([Country(code=c, name=c, region=r) for c, r in codes])
    countries = list(Country.objects.values_list("code", flat=True))
    if not Member.objects.exists():
        made = []
        for i in range(2000):
            name = f"Bench Town {i}"
            made.append(Community(name=name, name_key=name_key(name), search_name=fold(name),
                                  slug=f"bench-town-{i}", country_id=countries[i % len(countries)],
                                  latitude=0.0, longitude=0.0))
        Community.objects.bulk_create(made, batch_size=1000)
        ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
        homes, others = ids[:500], ids[500:]
        pairs = set()
        for home in homes:
            for other in random.sample(others, 3):
                pairs.add((min(home, other), max(home, other)))
        Partnership.objects.bulk_create(
            [Partnership(community_a_id=a, community_b_id=b, source="bench",
                         status=random.choice(["active"] * 5 + ["dormant"]))
             for a, b in pairs], batch_size=1000)
        for i, home in enumerate(homes):
            member = Member.objects.create(name=f"Bench Committee {i}", slug=f"bench-{i}")
            member.communities.add(home)
    members = list(Member.objects.values_list("pk", "communities"))
    by_home = {}
    for a, b, pk in Partnership.objects.values_list("community_a", "community_b", "pk"):
        by_home.setdefault(a, []).append(pk)
        by_home.setdefault(b, []).append(pk)
    have = Activity.objects.count()
    kinds = [(s, k) for s, ks in SECTOR_KINDS.items() for k in ks]
    new, links = [], []
    for i in range(have, target):
        member_id, home = members[i % len(members)]
        sector, kind = random.choice(kinds)
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=random.randint(0, 1000))
        new.append(Activity(member_id=member_id, title=f"Bench activity {i}", sector=sector,
                            kind=kind, start_date=start, end_date=start, state="verified",
                            visitors_under_18=random.randint(0, 20),
                            hosts_over_30=random.randint(0, 20),
                            volunteer_hours=random.randint(0, 300),
                            money_raised=Decimal(random.randint(0, 5000)),
                            money_spent=Decimal(random.randint(0, 5000))))
    created = Activity.objects.bulk_create(new, batch_size=2000)
    through = Activity.partnerships.through
    home_of = dict(members)
    through.objects.bulk_create(
        [through(activity_id=a.pk, partnership_id=random.choice(by_home[home_of[a.member_id]]))
         for a in created], batch_size=5000)
print(Activity.objects.count())
"""

COUNT_SCRIPT = (
    "import django; django.setup(); "
    "from twinning.activities.models import Activity; print(Activity.objects.count())"
)

QUERY_SCRIPT = r"""
import json, sys, time
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
paths = json.loads(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1")
out = {}
client.get("/healthz")
for label, path in paths.items():
    cache.clear()
    client.get("/healthz")  # the association's settings, cached
    with CaptureQueriesContext(connection) as cold:
        client.get(path)
    with CaptureQueriesContext(connection) as warm:
        status = client.get(path).status_code
    out[label] = [status, len(cold.captured_queries), len(warm.captured_queries)]
recompute = []
for _ in range(5):  # the figures recomputed in-process: the cache cleared, nothing else
    cache.clear()
    client.get("/healthz")
    start = time.perf_counter()
    client.get("/impact/")
    recompute.append((time.perf_counter() - start) * 1000)
print(json.dumps({"counts": out, "recompute_ms": sorted(recompute)[len(recompute) // 2]}))
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


def query_counts() -> dict:
    pages = {k: v for k, v in PAGES.items() if not k.startswith("baseline")}
    return json.loads(run(QUERY_SCRIPT, json.dumps(pages)))


def cold_request_ms(path: str) -> float:
    """One request right after the data changed: the figures are recomputed."""
    run(SEED_SCRIPT, str(int(run(COUNT_SCRIPT)) + 1))
    conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
    start = time.perf_counter()
    fetch(conn, path)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    manage(RUN_DIR, "migrate", "--noinput")
    manage(RUN_DIR, "collectstatic", "--noinput")
    counts, recompute = {}, {}
    for size in (2000, 20000):
        total = run(SEED_SCRIPT, str(size))
        measured = query_counts()
        counts[size], recompute[size] = measured["counts"], measured["recompute_ms"]
        print(f"  seeded {int(total):,} verified activities")
    section("Recompute of /impact/ in-process, cache cleared (ms, median of 5)")
    for size, ms in recompute.items():
        print(f"  {size:>6,} activities: {ms:8.1f} ms")
    section(
        "SQL queries per page (cold = figures computed, warm = cached; goal: same at both sizes)"
    )
    print(f"  {'page':<34} {'2,000 cold':>10} {'warm':>6} {'20,000 cold':>12} {'warm':>6}")
    for label in counts[2000]:
        _s1, cold1, warm1 = counts[2000][label]
        _s2, cold2, warm2 = counts[20000][label]
        print(f"  {label:<34} {cold1:>10} {warm1:>6} {cold2:>12} {warm2:>6}")
    section(
        "Latency at 20,000 activities, gunicorn 2 workers, DEBUG off (ms; goal: p50 within 10x)"
    )
    server = start_server(RUN_DIR)
    try:
        base = None
        print(f"  {'page':<34} {'p50':>8} {'p95':>8} {'x base':>7} {'errors':>6}")
        for label, path in PAGES.items():
            result = measure(path, 1, 60)
            base = base or result["p50"]
            print(
                f"  {label:<34} {result['p50']:8.1f} {result['p95']:8.1f} "
                f"{result['p50'] / base:7.1f} {result['errors']:>6}"
            )
        print(
            f"  first /impact/ after a change (recomputed): {cold_request_ms('/impact/'):8.1f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
