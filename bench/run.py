"""Twinning's benchmarks (`make bench`): every figure is printed beside a baseline measured in
the same run on the same server, never asserted in a test.

1. Import: the full data/twin_cities.csv into a database holding only the gazetteer, then the
   same file again.
2. Latency: gunicorn with 2 workers as in production (DEBUG off), p50/p95 at 1 and 4
   connections for the directory search, a community page, a country page and the map data,
   beside a bare Django view rendering a 20-row template through the same server.
3. Queries per page at 1x and 10x data (9x extra generated communities and partnerships).
4. The map data's compressed size, and that it is served from the cache.
5. SQLite under concurrent writers: 8 committee admins proposing partnerships at once
   through the site; the number of writes that fail.
"""

import gzip
import http.client
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DIR = Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench"))
GAZETTEER_DB = BENCH_DIR / "gazetteer-only.sqlite3"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = "127.0.0.1"


def env_for(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "TWINNING_VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TASKS_BACKEND": "immediate",
        "PYTHONPATH": str(ROOT),
    }


def manage(var_dir: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env_for(var_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, out.stdout


def checkpoint(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def section(title: str) -> None:
    print(f"\n== {title}")


# --- 1. Import ------------------------------------------------------------------------------
def prepare_and_time_import(run_dir: Path) -> None:
    section("Import of data/twin_cities.csv (SQLite, this machine)")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not GAZETTEER_DB.exists():
        scratch = BENCH_DIR / "gaz"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        manage(scratch, "migrate", "--noinput")
        seconds, _ = manage(scratch, "load_gazetteer")
        print(f"  gazetteer load (once, cities500): {seconds:6.1f} s")
        checkpoint(scratch / "twinning.sqlite3")
        shutil.copy(scratch / "twinning.sqlite3", GAZETTEER_DB)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    shutil.copy(GAZETTEER_DB, run_dir / "twinning.sqlite3")
    manage(run_dir, "migrate", "--noinput")
    first, out = manage(
        run_dir,
        "import_partnerships",
        "data/twin_cities.csv",
        "--report",
        str(run_dir / "report.csv"),
    )
    second, out2 = manage(
        run_dir,
        "import_partnerships",
        "data/twin_cities.csv",
        "--report",
        str(run_dir / "report2.csv"),
    )
    print(f"  full import:  {first:6.1f} s   (goal: under 30 s)")
    print(f"  re-run:       {second:6.1f} s")
    print("  first run summary:")
    for line in out.strip().splitlines()[-12:]:
        print(f"    {line}")
    print("  re-run summary:")
    for line in out2.strip().splitlines()[-6:]:
        print(f"    {line}")
    manage(run_dir, "seed_demo", "--skip-import")
    checkpoint(run_dir / "twinning.sqlite3")


# --- 2. Latency ------------------------------------------------------------------------------
def pick_targets(run_dir: Path) -> dict[str, str]:
    with sqlite3.connect(run_dir / "twinning.sqlite3") as conn:
        slug = conn.execute(
            "SELECT c.slug FROM network_community c JOIN network_partnership p "
            "ON p.community_a_id = c.id OR p.community_b_id = c.id "
            "GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
    return {
        "baseline (20-row template)": "/bench/baseline/",
        "directory search ?q=san": "/communities/?q=san",
        f"community page ({slug})": f"/communities/{slug}/",
        "country page (us)": "/countries/us/",
        "map data (gzip)": "/map/data.json",
    }


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, dict]:
    conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": HOST})
    response = conn.getresponse()
    body = response.read()
    return response.status, body, dict(response.getheaders())


def measure(path: str, connections: int, requests_per_conn: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        for _ in range(5):  # warm-up
            fetch(conn, path)
        mine = []
        for _ in range(requests_per_conn):
            start = time.perf_counter()
            status, _body, _headers = fetch(conn, path)
            mine.append(time.perf_counter() - start)
            if status != 200:
                with lock:
                    errors += 1
        with lock:
            latencies.extend(mine)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
        "errors": errors,
    }


def start_server(run_dir: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "twinning.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env_for(run_dir),
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            if fetch(conn, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def latency_table(run_dir: Path) -> None:
    section("Latency through gunicorn, 2 workers, DEBUG off (ms; goal: p50 within 10x baseline)")
    targets = pick_targets(run_dir)
    server = start_server(run_dir)
    try:
        rows = []
        for connections in (1, 4):
            base = None
            for label, path in targets.items():
                result = measure(path, connections, 60 if connections == 1 else 30)
                if base is None:
                    base = result["p50"]
                rows.append((connections, label, result, result["p50"] / base))
        print(
            f"  {'conns':>5}  {'page':<42} {'p50':>8} {'p95':>8} {'req/s':>8} "
            f"{'x base':>7} {'errors':>6}"
        )
        for connections, label, r, ratio in rows:
            print(
                f"  {connections:>5}  {label:<42} {r['p50']:8.1f} {r['p95']:8.1f} "
                f"{r['rps']:8.1f} {ratio:7.1f} {r['errors']:>6}"
            )
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        _status, body, headers = fetch(conn, "/map/data.json")
        raw = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        data = json.loads(raw)
        section("Map data")
        encoding = headers.get("Content-Encoding", "identity")
        print(
            f"  {len(body) / 1024:,.0f} KB as served ({encoding}),"
            f" {len(raw) / 1024:,.0f} KB uncompressed (goal: under 1,500 KB compressed);"
            f" {sum(len(v) for v in data.values() if isinstance(v, list)):,} items"
        )
        writers(run_dir)
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- 3. Queries per page at 1x and 10x ----------------------------------------------------------
QUERY_SCRIPT = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
paths = json.loads(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1")
out = {}
for label, path in paths.items():
    client.get(path)  # warm caches that are meant to be warm
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    out[label] = [status, len(ctx.captured_queries)]
print(json.dumps(out))
"""

GROW_SCRIPT = r"""
import random
import django
django.setup()
from django.db import transaction
from twinning.network.models import Community, Partnership
from twinning.network.text import fold, name_key
random.seed(7)
base = list(Community.objects.values_list("country_id", "latitude", "longitude"))
factor = 9
with transaction.atomic():
    start = Community.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    new = []
    for i in range(len(base) * factor):
        country, lat, lng = base[i % len(base)]
        name = f"Generated {i} Ville"
        new.append(Community(name=name, name_key=name_key(name), search_name=fold(name),
                             slug=f"generated-{i}", country_id=country, latitude=lat,
                             longitude=lng))
    Community.objects.bulk_create(new, batch_size=2000)
    ids = list(Community.objects.filter(slug__startswith="generated-").values_list("pk", flat=True))
    pairs = set()
    wanted = Partnership.objects.count() * factor
    while len(pairs) < wanted:
        a, b = random.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    Partnership.objects.bulk_create(
        [Partnership(community_a_id=a, community_b_id=b, source="bench") for a, b in pairs],
        batch_size=2000)
print(Community.objects.count(), Partnership.objects.count())
"""


def query_counts(run_dir: Path) -> None:
    section("SQL queries per page at 1x and 10x data (goal: the same)")
    targets = {k: v for k, v in pick_targets(run_dir).items() if not k.startswith("baseline")}
    targets["home"] = "/"
    targets["stats"] = "/stats/"
    targets["countries"] = "/countries/"
    run = subprocess.run(
        [PYTHON, "-c", QUERY_SCRIPT, json.dumps(targets)],
        cwd=ROOT,
        env=env_for(run_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    one = json.loads(run.stdout.strip().splitlines()[-1])
    big_dir = BENCH_DIR / "run10x"
    shutil.rmtree(big_dir, ignore_errors=True)
    big_dir.mkdir()
    shutil.copy(run_dir / "twinning.sqlite3", big_dir / "twinning.sqlite3")
    grow = subprocess.run(
        [PYTHON, "-c", GROW_SCRIPT],
        cwd=ROOT,
        env=env_for(big_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    communities, partnerships = grow.stdout.split()
    run = subprocess.run(
        [PYTHON, "-c", QUERY_SCRIPT, json.dumps(targets)],
        cwd=ROOT,
        env=env_for(big_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    ten = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"  10x data: {int(communities):,} communities, {int(partnerships):,} partnerships")
    print(f"  {'page':<42} {'1x':>6} {'10x':>6}")
    for label in targets:
        print(
            f"  {label:<42} {one[label][1]:>6} {ten[label][1]:>6}"
            f"{'' if one[label][0] == 200 == ten[label][0] else '  (status not 200!)'}"
        )


# --- 5. Concurrent writers on SQLite --------------------------------------------------------------
WRITER_SETUP = r"""
import json
import django
django.setup()
from twinning.accounts.models import User
from twinning.network.models import Community, Member
from twinning.network.services import add_committee_admin, create_member
people = []
communities = list(Community.objects.filter(country_id="FR").order_by("pk")[:8])
partners = list(Community.objects.filter(country_id="JP").order_by("pk")[:40])
for i, community in enumerate(communities):
    email = f"writer{i}@bench.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, "bench-writer-password-2026")
        member = create_member(name=f"Bench committee {i}", communities=[community])
        add_committee_admin(member=member, user=user, by=None)
    member = user.administered_members.get()
    people.append({"email": email, "member": member.slug, "community": community.slug,
                   "partners": [p.slug for p in partners[i * 5:(i + 1) * 5]]})
print(json.dumps(people))
"""


class Session:
    """A browser-like session over one keep-alive connection: cookies and the CSRF token."""

    def __init__(self) -> None:
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | None = None, json_body: dict | None = None
    ) -> tuple[int, bytes]:
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if method != "GET":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{HOST}:{PORT}/"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload

    def login(self, email: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": email,
                "password": password,
            },
        )
        if status != 302:
            raise SystemExit(f"bench writer could not sign in ({status})")


def writers(run_dir: Path) -> None:
    section("SQLite under concurrent writers (8 committee admins proposing at once, via the API)")
    setup = subprocess.run(
        [PYTHON, "-c", WRITER_SETUP],
        cwd=ROOT,
        env=env_for(run_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    people = json.loads(setup.stdout.strip().splitlines()[-1])
    sessions = []
    for person in people:
        session = Session()
        session.login(person["email"], "bench-writer-password-2026")
        sessions.append(session)
    rounds, failures, successes = 5, 0, 0
    statuses: dict[int, int] = {}
    for round_no in range(rounds):
        barrier = threading.Barrier(len(sessions))
        results: list[int] = []
        lock = threading.Lock()

        def write(  # noqa: PLR0917 -- defaults bind this round's barrier and results
            session: Session,
            person: dict,
            round_no: int = round_no,
            barrier: threading.Barrier = barrier,
            results: list = results,
            lock: threading.Lock = lock,
        ) -> None:
            barrier.wait()
            status, _body = session.request(
                "POST",
                "/api/me/proposals",
                json_body={
                    "member": person["member"],
                    "action": "new",
                    "community": person["community"],
                    "partner": person["partners"][round_no],
                    "kind": "sister_city",
                    "note": "bench",
                },
            )
            with lock:
                results.append(status)

        threads = [
            threading.Thread(target=write, args=(s, p))
            for s, p in zip(sessions, people, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for status in results:
            statuses[status] = statuses.get(status, 0) + 1
            if 200 <= status < 300:
                successes += 1
            else:
                failures += 1
    print(
        f"  {rounds} rounds x {len(sessions)} writers: {successes} written, {failures} failed "
        f"(goal: 0 failed); statuses {statuses}"
    )


def main() -> None:
    run_dir = BENCH_DIR / "run"
    prepare_and_time_import(run_dir)
    latency_table(run_dir)
    query_counts(run_dir)


if __name__ == "__main__":
    main()
