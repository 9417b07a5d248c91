"""Events (`.venv/bin/python bench/events.py`): the public event page, the staff registration
list and the check-in answer, then a registration flow under concurrent clients.

1. SQL queries per page at 1,000 and at 10,000 registrations (goal: the same), counted through
   Django's test client: the event page (anonymous), the staff registration list (first page,
   verified staff) and the check-in answer (an htmx POST, for a code not yet checked in and
   for one already checked in).
2. p50/p95 at 10,000 registrations through gunicorn with 2 workers as in production (DEBUG
   off), at 1 and 4 connections, beside the in-run baseline (a bare view rendering a 20-row
   template; goal: p50 within 10x), requested by the same kind of client: the anonymous event
   page beside the view requested anonymously, the staff pages beside it requested with the
   staff session (which pays the same session and user lookups). The check-in answer is a
   POST with the page's CSRF token and cookie, alternating between codes not yet checked in
   and codes already checked in.
   The peer pretix, on this machine, serves its event page in about 144 ms and its order list
   in about 426 ms.
3. A registration flow (the register page, the order POSTed, the order page) run by 1, 2 and
   8 concurrent clients, each a different signed-in person, on SQLite and on PostgreSQL
   (database twinning_bench_events, or $BENCH_PG_NAME, on 127.0.0.1:5432, created and dropped
   here): completed registrations per second and failures (goal: 0).

The data is synthetic and made in bulk (10,000 attendees over a few thousand orders across 300
committees), in the bench's own SQLite database under var/bench/events; nothing else is
touched. The timing, the staff session and the server are bench/common.py's (shared with
bench/members.py); this script holds only its data and scenarios."""

import contextlib
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASELINE,
    SIGNED_IN_BASELINE,
    STAFF_CLIENT,
    STAFF_SESSION_SCRIPT,
    Browser,
    Scenario,
    fresh_run_dir,
    get_page,
    latency_table,
    run_script,
    serving,
)
from bench.run import BENCH_DIR, manage, section

RUN_DIR = BENCH_DIR / "events"
SLUG = "bench-conference"
PG_NAME = os.environ.get("BENCH_PG_NAME", "twinning_bench_events")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
FLOW_SECONDS = 15
PEERS = "pretix on this machine: event page ~144 ms, order list ~426 ms"

# The bench event (published, open, capacity far above what the run takes), its ticket, two
# optional questions the flow answers, 300 committees; then attendees up to argv[1], in bulk.
SEED_SCRIPT = r"""
import datetime, random, sys
from decimal import Decimal
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from twinning.events.models import Attendee, Event, Order, Question, Ticket
from twinning.network.models import Member
target = int(sys.argv[1])
random.seed(8)
now = timezone.now()
with transaction.atomic():
    event = Event.objects.filter(slug="bench-conference").first()
    if event is None:
        event = Event.objects.create(
            kind=Event.Kind.CONFERENCE, title="Bench Annual Conference", slug="bench-conference",
            summary="The bench's conference.", time_zone="America/Chicago",
            starts_at=now + datetime.timedelta(days=60), ends_at=now + datetime.timedelta(days=62),
            venue_name="Bench Convention Center", venue_address="1 Bench Street",
            capacity=1_000_000, published_at=now, cancellation_policy="Full refund until May.")
        Ticket.objects.create(event=event, name="Delegate", price=Decimal("250"), position=1)
        Ticket.objects.create(event=event, name="Guest", price=Decimal("90"), position=2)
        Question.objects.create(event=event, scope=Question.Scope.ATTENDEE, label="Dietary needs",
                                required=False, position=1)
        Question.objects.create(event=event, scope=Question.Scope.ORDER,
                                kind=Question.Kind.CHOICE, label="How did you hear of us?",
                                choices=["E-mail", "A committee", "Other"], required=False,
                                position=2)
        Member.objects.bulk_create([Member(name=f"Bench Committee {i:03}",
                                           slug=f"bench-committee-{i:03}") for i in range(300)])
    tickets = list(Ticket.objects.filter(event=event).order_by("position"))
    members = list(Member.objects.filter(slug__startswith="bench-committee-"))
    have = Attendee.objects.filter(event=event).count()
    n = 0
    while have < target:
        orders, people = [], []
        while have < target and len(people) < 2000:
            size = min(random.choice([1, 1, 2, 3, 4, 6]), target - have)
            member = random.choice(members)
            cancelled = random.random() < 0.03
            order = Order(event=event, email=f"buyer{n}@bench.example", member=member,
                          is_delegation=size > 1, total=Decimal("250") * size,
                          state="cancelled" if cancelled else "confirmed",
                          confirmed_at=now, cancelled_at=now if cancelled else None)
            orders.append(order)
            for _ in range(size):
                state = ("cancelled" if cancelled else
                         random.choice(["confirmed"] * 18 + ["applied", "approved"]))
                checked = state == "confirmed" and random.random() < 0.2
                people.append((order, Attendee(
                    event=event, ticket=random.choice(tickets), first_name=f"Given{n}",
                    last_name=f"Family{random.randrange(5000):04}",
                    email=f"person{n}@bench.example", organisation=member.name, state=state,
                    price=Decimal("250"), price_reason="Full price",
                    checked_in_at=now if checked else None, decided_at=now)))
                n += 1
                have += 1
        Order.objects.bulk_create(orders, batch_size=1000)
        for order, attendee in people:
            attendee.order = order
        Attendee.objects.bulk_create([a for _, a in people], batch_size=1000)
print(Attendee.objects.filter(event=event).count(), Order.objects.filter(event=event).count())
"""

# Sessions (as bench/common.py's STAFF_SESSION_SCRIPT makes them) for the registering people.
PEOPLE_SCRIPT = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from twinning.accounts.models import User
from twinning.accounts.sessions import SIGNED_IN_AT, TOUCHED_AT
cookies = []
for i in range(int(sys.argv[1])):
    user, _ = User.objects.get_or_create(email=f"bench-person-{i}@example.org",
                                         defaults={"full_name": f"Bench Person{i}"})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = session[TOUCHED_AT] = int(time.time())
    session.save()
    cookies.append(session.session_key)
print(json.dumps(cookies))
"""

FORM_SCRIPT = r"""
import json
import django
django.setup()
from twinning.events.models import Attendee, Event, Question, Ticket
event = Event.objects.get(slug="bench-conference")
ticket = Ticket.objects.filter(event=event).order_by("position").first()
questions = {q.scope: q.pk for q in Question.objects.filter(event=event)}
expected = Attendee.objects.filter(event=event, state="confirmed", order__state="confirmed")
print(json.dumps({
    "ticket": ticket.pk, "attendee_q": questions["attendee"], "order_q": questions["order"],
    "unchecked": list(expected.filter(checked_in_at__isnull=True).order_by("?")
                      .values_list("code", flat=True)[:400]),
    "checked": list(expected.filter(checked_in_at__isnull=False).order_by("?")
                    .values_list("code", flat=True)[:400]),
}))
"""

# Queries per page through the test client: the event page anonymous, the staff pages as
# verified staff; the check-in answer for a fresh code and for one already checked in.
QUERY_SCRIPT = (
    STAFF_CLIENT
    + r"""
from django.urls import reverse
from twinning.events.models import Attendee
slug = "bench-conference"
expected = Attendee.objects.filter(event__slug=slug, state="confirmed", order__state="confirmed")
fresh = list(expected.filter(checked_in_at__isnull=True).values_list("code", flat=True)[:2])
done = expected.filter(checked_in_at__isnull=False).values_list("code", flat=True).first()
checkin = reverse("events:checkin", args=[slug])
pages = {
    "event page (anonymous)": (anonymous, "get", reverse("events:event_detail", args=[slug]), {}),
    "staff registration list, page 1": (
        client, "get", reverse("events:staff_registrations", args=[slug]), {}),
    "check-in page (GET)": (client, "get", checkin, {}),
    "check-in answer, new code": (client, "post", checkin, {"code": fresh[1]}),
    "check-in answer, already in": (client, "post", checkin, {"code": done}),
}
client.post(checkin, {"code": fresh[0]}, HTTP_HX_REQUEST="true")  # warm
out = {}
for label, (who, method, path, data) in pages.items():
    if method == "get":
        who.get(path)  # warm caches that are meant to be warm
    with CaptureQueriesContext(connection) as queries:
        extra = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}
        response = getattr(who, method)(path, data, **extra)
    out[label] = [response.status_code, len(queries.captured_queries)]
    assert response.status_code == 200, (path, response.status_code)
print(json.dumps(out))
"""
)


# The same pages in-process (Django's test client, the same stack as the bare baseline view),
# wall and this process's CPU time: the CPU figure holds when other work shares the machine.
IN_PROCESS_SCRIPT = (
    STAFF_CLIENT
    + r"""
import sys
from django.urls import reverse
from bench.common import p50_in_process
from twinning.events.models import Attendee
slug = "bench-conference"
done = Attendee.objects.filter(
    event__slug=slug, state="confirmed", checked_in_at__isnull=False
).values_list("code", flat=True).first()
checkin = reverse("events:checkin", args=[slug])

def answer():
    response = client.post(checkin, {"code": done}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.status_code

def p50_call(call, runs):
    import statistics, time
    for _ in range(2):
        call()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000

runs = int(sys.argv[1])
out = {
    "baseline (bare view, 20 rows)": p50_in_process(anonymous, "/bench/baseline/", runs * 3),
    "baseline, signed in (same view)": p50_in_process(client, "/bench/baseline/", runs * 3),
    "event page (anonymous)": p50_in_process(
        anonymous, reverse("events:event_detail", args=[slug]), runs),
    "staff registration list, page 1": p50_in_process(
        client, reverse("events:staff_registrations", args=[slug]), runs),
    "check-in answer, already in (POST, htmx)": p50_call(answer, runs),
}
print(json.dumps(out))
"""
)


# Each signed-in page is set beside the bare view requested signed in (the session and user
# lookups every signed-in request pays); the anonymous event page beside the anonymous one.
SIGNED_IN_PAGES = dict.fromkeys(
    (
        "staff registration list, page 1",
        "check-in answer, already in (POST, htmx)",
        "check-in answer (POST, htmx)",
    ),
    SIGNED_IN_BASELINE[0],
)


def in_process() -> None:
    section(
        "In-process at 10,000 registrations, the test client through the whole middleware "
        "stack (ms; wall and CPU, each beside the baseline's; goal: p50 within 10x)"
    )
    found = json.loads(run(IN_PROCESS_SCRIPT, "30"))
    print(f"  {'page':<42} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7} {'x first':>7}")
    for label, (wall, cpu) in found.items():
        base_wall, base_cpu = found[SIGNED_IN_PAGES.get(label, BASELINE[0])]
        print(
            f"  {label:<42} {wall:>8.1f} {wall / base_wall:>7.1f} {cpu:>7.1f} "
            f"{cpu / base_cpu:>7.1f} {cpu / found[BASELINE[0]][1]:>7.1f}"
        )


def run(script: str, *args: str) -> str:
    return run_script(RUN_DIR, script, *args)


def check_in_answers(cookie: str, form: dict, lock: threading.Lock) -> Scenario:
    """POSTs to the check-in page with the htmx header, alternating a code not yet checked in
    (taken from the shared pool, so each is scanned once) and one already checked in; each
    client GETs the page first for its CSRF cookie."""
    path = f"/events/{SLUG}/checkin/"

    def setup() -> Browser:
        browser = Browser(cookie)
        browser.request("GET", path)
        return browser

    def step(browser: Browser, i: int) -> bool:
        if i % 2:
            code, want = form["checked"][i % len(form["checked"])], b'data-status="already"'
        else:
            with lock:
                code = form["unchecked"].pop()
                form["checked"].append(code)
            want = b'data-status="checked_in"'
        status, _headers, body = browser.request("POST", path, {"code": code}, htmx=True)
        return status == 200 and want in body

    return setup, step


def latency(cookie: str, form: dict) -> None:
    section(
        "Latency at 10,000 registrations, gunicorn 2 workers, DEBUG off "
        f"(ms; goal: p50 within 10x baseline; {PEERS})"
    )
    lock = threading.Lock()
    latency_table(
        RUN_DIR,
        {
            BASELINE[0]: lambda: get_page(BASELINE[1]),
            "event page (anonymous)": lambda: get_page(f"/events/{SLUG}/"),
            SIGNED_IN_BASELINE[0]: lambda: get_page(SIGNED_IN_BASELINE[1], cookie),
            "staff registration list, page 1": lambda: get_page(
                f"/staff/events/{SLUG}/registrations/", cookie
            ),
            "check-in answer (POST, htmx)": lambda: check_in_answers(cookie, form, lock),
        },
        against=SIGNED_IN_PAGES,
    )


def registration_flow(cookies: list[str], form: dict, clients: int) -> tuple[int, int, float]:
    """`clients` people at once, each for FLOW_SECONDS: the register page, the order posted
    (expecting the redirect to the order), the order page. Returns (completed, failed, s)."""
    register = f"/events/{SLUG}/register/"
    completed = failed = 0
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def person(number: int) -> None:
        nonlocal completed, failed
        browser = Browser(cookies[number])
        done = bad = 0
        barrier.wait()
        deadline = time.perf_counter() + FLOW_SECONDS
        i = 0
        while time.perf_counter() < deadline:
            i += 1
            try:
                status, _headers, _body = browser.request("GET", register)
                ok = status == 200
                if ok:
                    status, headers, _body = browser.request(
                        "POST",
                        register,
                        {
                            "ticket": form["ticket"],
                            "first_name": f"Flow{number}",
                            "last_name": f"Person{i}",
                            "email": f"bench-person-{number}@example.org",
                            f"q_{form['attendee_q']}": "Vegetarian",
                            f"q_{form['order_q']}": "A committee",
                        },
                    )
                    location = headers.get("Location", "")
                    ok = status == 302 and "/orders/" in location
                if ok:
                    path = urllib.parse.urlsplit(location).path
                    ok = browser.request("GET", path)[0] == 200
            except (OSError, http.client.HTTPException):
                ok = False
                browser.close()
                browser = Browser(cookies[number])
            done += ok
            bad += not ok
        browser.close()
        with lock:
            completed += done
            failed += bad

    threads = [threading.Thread(target=person, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return completed, failed, time.perf_counter() - start


def flows(database: str) -> None:
    cookies = json.loads(run(PEOPLE_SCRIPT, "8"))
    form = json.loads(run(FORM_SCRIPT))
    with serving(RUN_DIR):
        for clients in (1, 2, 8):
            completed, failed, seconds = registration_flow(cookies, form, clients)
            print(
                f"  {database:<10} {clients:>7} {completed:>9} {completed / seconds:>10.1f} "
                f"{failed:>8}"
            )


@contextlib.contextmanager
def postgres() -> Iterator[None]:
    """The bench's own PostgreSQL database, created for the run and dropped after it."""
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")
    os.environ["DATABASE_URL"] = PG_URL
    try:
        yield
    finally:
        del os.environ["DATABASE_URL"]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def main() -> None:
    os.environ.pop("DATABASE_URL", None)  # the bench's own SQLite file unless told
    os.environ["EMAIL_URL"] = "dummymail://"  # confirmations are queued, not printed
    print(
        f"Events bench ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). The machine is "
        "shared (2 cores, other engineers' tests running): figures may be noisy; compare each "
        "with the baseline measured beside it."
    )
    fresh_run_dir(RUN_DIR)
    cookie = run(STAFF_SESSION_SCRIPT)
    counts = {}
    for size in (1_000, 10_000):
        attendees, orders = run(SEED_SCRIPT, str(size)).split()
        print(f"  seeded {int(attendees):,} registrations on {int(orders):,} orders")
        counts[size] = json.loads(run(QUERY_SCRIPT))
    section("SQL queries per page (goal: the same at both sizes)")
    print(f"  {'page':<34} {'1,000':>7} {'10,000':>7}")
    for label in counts[1_000]:
        print(f"  {label:<34} {counts[1_000][label][1]:>7} {counts[10_000][label][1]:>7}")
    in_process()
    latency(cookie, json.loads(run(FORM_SCRIPT)))
    section(
        f"Registration flow (register page, order, order page), {FLOW_SECONDS} s per row, "
        "each client a different signed-in person (goal: 0 failed)"
    )
    print(f"  {'database':<10} {'clients':>7} {'completed':>9} {'per second':>10} {'failed':>8}")
    flows("SQLite")
    with postgres():
        manage(RUN_DIR, "migrate", "--noinput")
        run(SEED_SCRIPT, "0")
        flows("PostgreSQL")


if __name__ == "__main__":
    main()
