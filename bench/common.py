"""What the page benches (bench/members.py, bench/events.py) share, beside bench/run.py's
server and environment: a fresh run directory, scripts run in the bench's own database, a
signed-in staff session, a browser-like client, p50/p95 timing at several connections and the
latency table printed beside the in-run baseline. Each bench script keeps only its own data and
scenarios."""

import contextlib
import http.client
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.run import HOST, PORT, PYTHON, ROOT, env_for, manage, start_server

BASELINE = ("baseline (bare view, 20 rows)", "/bench/baseline/")
# The same bare view requested with a signed-in session: the baseline of signed-in pages, which
# pay the session and user lookups on every request as this one does (an anonymous baseline
# would count that cost, about 1 ms, as the page's own).
SIGNED_IN_BASELINE = ("baseline, signed in (same view)", "/bench/baseline/")

# A session of verified staff (a TOTP device, the second factor marked verified), printed as
# its key: the benches send it as the `sessionid` cookie.
STAFF_SESSION_SCRIPT = r"""
import time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice
from twinning.accounts.models import User
from twinning.accounts.sessions import SIGNED_IN_AT, TOUCHED_AT
user, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session["otp_device_id"] = device.persistent_id
session[SIGNED_IN_AT] = session[TOUCHED_AT] = int(time.time())
session.save()
print(session.session_key)
"""

# The start of a query-counting script: Django set up, `client` a test client signed in as the
# staff of STAFF_SESSION_SCRIPT with the second factor verified, `anonymous` another.
STAFF_CLIENT = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from twinning.accounts.models import User
staff = User.objects.get(email="bench-staff@example.org")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(staff)
session = client.session
session["otp_device_id"] = TOTPDevice.objects.get(user=staff).persistent_id
session.save()
anonymous = Client(HTTP_HOST="127.0.0.1")
"""


def fresh_run_dir(run_dir: Path) -> None:
    """An empty run directory with a migrated database and the collected static files."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    manage(run_dir, "migrate", "--noinput")
    manage(run_dir, "collectstatic", "--noinput")


def run_script(run_dir: Path, script: str, *args: str) -> str:
    """Run `script` with Python in the bench's environment; its last line of output."""
    done = subprocess.run(
        [PYTHON, "-c", script, *args],
        cwd=ROOT,
        env=env_for(run_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def serving(run_dir: Path) -> Iterator[None]:
    """gunicorn (bench/run.py's start_server) for the duration of the block."""
    server = start_server(run_dir)
    try:
        yield
    finally:
        server.terminate()
        server.wait()


class Browser:
    """One client over one keep-alive connection: its cookies (a session given at the start)
    and the CSRF cookie the pages set."""

    def __init__(self, session: str = "") -> None:
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        self.cookies = {"sessionid": session} if session else {}

    def request(
        self, method: str, path: str, data: dict | None = None, htmx: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), **data})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf()
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        if htmx:
            headers["HX-Request"] = "true"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), payload

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def close(self) -> None:
        self.conn.close()


Step = Callable[[Browser, int], bool]
Scenario = tuple[Callable[[], Browser], Step]


def timed(setup: Callable[[], Browser], step: Step, connections: int, requests: int) -> dict:
    """`connections` clients at once (each a browser from `setup`), each `requests` steps after
    five to warm up; a step answers whether the response was the one expected."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        browser, mine, failed = setup(), [], 0
        for i in range(requests + 5):
            start = time.perf_counter()
            ok = step(browser, i)
            if i >= 5:
                mine.append(time.perf_counter() - start)
                failed += not ok
        browser.close()
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


def get_page(path: str, cookie: str = "") -> Scenario:
    """GET `path` (with the session `cookie`, if any), expecting 200."""
    return (lambda: Browser(cookie)), (lambda browser, _i: browser.request("GET", path)[0] == 200)


def latency_table(
    run_dir: Path,
    pages: dict[str, Callable[[], Scenario]],
    width: int = 34,
    samples: tuple[int, int] = (60, 30),
    against: dict[str, str] | None = None,
) -> None:
    """Through gunicorn, at 1 then 4 connections (`samples`: 60 then 30 requests each): each
    page's p50 and p95 in ms beside the p50 of its baseline. `against` names, for a page, the
    baseline row it is set against: the bare view requested by the same kind of client (a
    signed-in page beside SIGNED_IN_BASELINE, which pays the same session and user lookups); a
    page not named there is set against the first row (list BASELINE first). The column `x
    first` sets every page against the first row all the same."""
    against = against or {}
    first = next(iter(pages))
    with serving(run_dir):
        print(
            f"  {'conns':>5}  {'page':<{width}} {'p50':>8} {'p95':>8} {'x base':>7} "
            f"{'x first':>7} {'errors':>6}"
        )
        for connections in (1, 4):
            p50s: dict[str, float] = {}
            for label, make in pages.items():
                result = timed(*make(), connections, samples[0 if connections == 1 else 1])
                p50 = p50s[label] = result["p50"]
                base = p50s[against.get(label, first)]
                print(
                    f"  {connections:>5}  {label:<{width}} {p50:8.1f} {result['p95']:8.1f} "
                    f"{p50 / base:7.1f} {p50 / p50s[first]:7.1f} {result['errors']:>6}"
                )


def page_queries(client: Any, pages: dict[str, str]) -> dict[str, int]:
    """SQL queries per page through Django's test client, each page read once to warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        found[label] = len(queries)
    return found


def p50_in_process(client, path: str, runs: int, before=None) -> tuple[float, float]:
    """p50 of wall and CPU time (ms) of `path` through a Django test client (a streamed body
    read to its end), after two warm-ups; `before`, if given, is called ahead of each
    request, untimed (a change to the data, so that a cached page section is read afresh)."""
    for _ in range(2):
        if before:
            before()
        client.get(path)
    times, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if response.streaming:  # a streamed body (a file, a CSV) is read to its end
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000
