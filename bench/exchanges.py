"""Exchanges (`.venv/bin/python bench/exchanges.py`): the staff monitoring dashboard, the staff
compliance page and the staff placement list with 2,000 placed students and 24 months of
monthly contacts (issue 10, "What it must show").

1. SQL queries per page at 200 and at 2,000 students (goal: the same), counted through
   Django's test client as verified staff.
2. p50/p95 at 2,000 students through gunicorn with 2 workers as in production (DEBUG off), at
   1 and 4 connections, beside the in-run baseline (a bare view rendering a 20-row template;
   goal: p50 within 10x) requested with the same staff session as the pages (it pays the same
   session and user lookups; the anonymous request's ratio is the `x first` column). The
   lists show 50 placements a page (red first on the dashboard, whose colour counts the
   database computes for every placement), the compliance page 25 cards; the filtered pages
   (red only, failing a rule only) are measured too, and the staff exchange home, a page
   without a list, for comparison.
3. The same pages in-process (the Django test client, the same stack as the baseline view):
   p50 of wall time and of this process's CPU time beside the baseline's (`p50_in_process`;
   the CPU figure is the steadier one on a machine shared with other work).

`--in-process` keeps an existing bench database (seeding only what is missing) and skips the
gunicorn timing: 1 and 3 only, for comparing a change quickly.

The data is synthetic and made in bulk: 20 hosting committees, each with a coordinator (and a
training), a school (acceptance letter signed), a quota of a 24-month season; per student a
young person, an approved host family (two adults checked clear, a home visit, two references),
a placement begun 24 months ago and its monthly contacts on both sides, about 3% of the
student-months missing on one side (red) and this month's contact often still to come (amber
near the month's end); a few orientations and incidents. In the bench's own SQLite database
under var/bench/exchanges; nothing else is touched. The timing, the staff session and the
server are bench/common.py's; this script holds only its data and scenarios."""

import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASELINE,
    SIGNED_IN_BASELINE,
    STAFF_CLIENT,
    STAFF_SESSION_SCRIPT,
    Scenario,
    fresh_run_dir,
    get_page,
    latency_table,
    run_script,
)
from bench.run import BENCH_DIR, section

RUN_DIR = BENCH_DIR / "exchanges"

PAGES = {
    # For comparison: a staff page of the exchange without a list (the season list, links).
    "staff exchange home (no list)": "/staff/exchanges/",
    "staff monitoring dashboard": "/staff/exchanges/monitoring/",
    "staff compliance page": "/staff/exchanges/compliance/",
    "staff placement list": "/staff/exchanges/placements/",
    "staff dashboard, overdue only": "/staff/exchanges/monitoring/?state=red",
    "staff compliance, failing only": "/staff/exchanges/compliance/?failing=1",
}

# 20 committees with their partner, coordinator, training, school and quota in one season of
# 24 months (made once); then students up to argv[1], each placed with its own approved
# family, and their monthly contacts, in bulk.
SEED_SCRIPT = r"""
import datetime, random, sys
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from twinning.accounts.models import User
from twinning.core.dates import association_today
from twinning.exchanges.models import (
    BackgroundCheck, Coordinator, FamilyApproval, HomeVisit, HostFamily, HouseholdMember,
    Incident, MonthlyContact, Orientation, Placement, Quota, Reference, School, Season, Student,
    Training)
from twinning.exchanges.services.monitoring import first_missing_month, month_of, next_month
from twinning.network.models import Community, Country, Member, Partnership
from twinning.youth.models import Guardian, Person
target = int(sys.argv[1])
random.seed(10)
now = timezone.now()
today = association_today()
first = month_of(today)
for _ in range(24):
    first = month_of(first - datetime.timedelta(days=1))
COMMITTEES = 20
with transaction.atomic():
    season = Season.objects.filter(slug="bench-season").first()
    if season is None:
        staff = User.objects.get(email="bench-staff@example.org")
        us, _ = Country.objects.get_or_create(code="US", defaults={"name": "United States"})
        de, _ = Country.objects.get_or_create(code="DE", defaults={"name": "Germany"})
        season = Season.objects.create(
            name="Bench season", slug="bench-season", kind=Season.Kind.YEAR, arrival_date=first,
            departure_date=today + datetime.timedelta(days=60))
        homes = Community.objects.bulk_create([
            Community(name=f"Bench Home {i}", slug=f"bench-home-{i}", name_key=f"bench home {i}",
                      search_name=f"bench home {i}", country=us if i % 2 == 0 else de)
            for i in range(COMMITTEES * 2)])
        partnerships = Partnership.objects.bulk_create([
            Partnership(community_a_id=homes[2 * i].pk, community_b_id=homes[2 * i + 1].pk,
                        source="bench") for i in range(COMMITTEES)])
        members = Member.objects.bulk_create([
            Member(name=f"Bench Committee {i:02}", slug=f"bench-committee-{i:02}")
            for i in range(COMMITTEES)])
        Quota.objects.bulk_create([
            Quota(season=season, host=m, partnership=p, places=200)
            for m, p in zip(members, partnerships, strict=True)])
        users = User.objects.bulk_create([
            User(email=f"bench-coordinator-{i}@bench.example", full_name=f"Coordinator {i}")
            for i in range(COMMITTEES)])
        coordinators = Coordinator.objects.bulk_create([
            Coordinator(member=m, user=u, name=u.full_name, is_exchange_coordinator=True)
            for m, u in zip(members, users, strict=True)])
        Training.objects.bulk_create([
            Training(coordinator=c, course="Child protection",
                     completed_on=first - datetime.timedelta(days=30),
                     expires_on=today + datetime.timedelta(days=300 if n % 5 else -10))
            for n, c in enumerate(coordinators)])
        School.objects.bulk_create([
            School(member=m, name=f"Bench High {n}", address="1 School Road",
                   contact_name="Principal", contact_email=f"school{n}@bench.example",
                   letter_file=f"bench-letter-{n}.pdf" if n % 7 else "",
                   letter_signed_on=first - datetime.timedelta(days=20) if n % 7 else None)
            for n, m in enumerate(members)])
    staff = User.objects.get(email="bench-staff@example.org")
    quotas = list(Quota.objects.filter(season=season).select_related("host", "partnership")
                  .order_by("host__slug"))
    hosts = [q.host for q in quotas]
    coordinators = {c.member_id: c for c in Coordinator.objects.filter(member__in=hosts)}
    schools = {s.member_id: s for s in School.objects.filter(member__in=hosts)}
    have = Student.objects.filter(season=season).count()
    numbers = range(have, target)
    n = len(numbers)
    if n:
        home = quotas[0].partnership.community_b
        users = User.objects.bulk_create(
            [User(email=f"bench-student-{i}@bench.example", full_name=f"Student {i}")
             for i in numbers]
            + [User(email=f"bench-family-{i}@bench.example", full_name=f"Family {i}")
               for i in numbers], batch_size=1000)
        guardians = Guardian.objects.bulk_create(
            [Guardian(email=f"bench-guardian-{i}@bench.example") for i in numbers], batch_size=1000)
        people = Person.objects.bulk_create([
            Person(user=users[k], first_name=f"Given{i}", last_name=f"Family{i % 997:03}",
                   date_of_birth=datetime.date(today.year - 17, 1 + i % 12, 1),
                   community_id=quotas[i % COMMITTEES].partnership.community_b_id,
                   guardian=guardians[k])
            for k, i in enumerate(numbers)], batch_size=1000)
        students = Student.objects.bulk_create([
            Student(quota=quotas[i % COMMITTEES], season=season, person=people[k],
                    status=Student.Status.ARRIVED, emergency_contacts="Parent, mother, +49 1")
            for k, i in enumerate(numbers)], batch_size=1000)
        families = HostFamily.objects.bulk_create([
            HostFamily(member=quotas[i % COMMITTEES].host, user=users[n + k],
                       family_name=f"Host {i}", address="2 Host Lane", phone="+1 555 0100",
                       languages="English", room="A room of their own",
                       status=HostFamily.Status.APPROVED)
            for k, i in enumerate(numbers)], batch_size=1000)
        household = HouseholdMember.objects.bulk_create([
            HouseholdMember(family=f, name=f"{f.family_name} {role}", relationship=role,
                            date_of_birth=datetime.date(1980, 1, 1))
            for f in families for role in ("Parent A", "Parent B")], batch_size=2000)
        BackgroundCheck.objects.bulk_create([
            BackgroundCheck(person=h, checked_on=first - datetime.timedelta(days=60),
                            provider="Bench checks", result=BackgroundCheck.Result.CLEAR,
                            recorded_by=staff) for h in household], batch_size=2000)
        visits = HomeVisit.objects.bulk_create([
            HomeVisit(family=f, coordinator=coordinators[f.member_id],
                      visited_on=first - datetime.timedelta(days=40), findings="Suitable.",
                      suitable=True) for f in families], batch_size=1000)
        references = Reference.objects.bulk_create([
            Reference(family=f, name=f"Referee {j}", email=f"ref{j}-{f.pk}@bench.example",
                      answered_at=now, recommends=True, statement="Recommended.")
            for f in families for j in (1, 2)], batch_size=2000)
        approvals = FamilyApproval.objects.bulk_create([
            FamilyApproval(family=f, home_visit=visits[k], first_reference=references[2 * k],
                           second_reference=references[2 * k + 1], adults_checked=2,
                           capacity=1, approved_by=staff)
            for k, f in enumerate(families)], batch_size=1000)
        placements = Placement.objects.bulk_create([
            Placement(student=s, approval=approvals[k], school=schools[s.quota.host_id],
                      coordinator=coordinators[s.quota.host_id], starts_on=first,
                      first_missing_month=first, reasons="Bench match.", placed_by=staff)
            for k, s in enumerate(students)], batch_size=1000)
        contacts = []
        for p in placements:
            month, done = first, {"student": [], "family": []}
            while month <= today:
                for side in ("student", "family"):
                    current = month == month_of(today)
                    if random.random() < (0.5 if current else 0.03):
                        continue  # a month missed: red (or this month's still to come)
                    day = min(month + datetime.timedelta(days=random.randrange(0, 20)), today)
                    contacts.append(MonthlyContact(
                        placement=p, month=month, contact_with=side, contacted_on=day,
                        method=random.choice(["in_person", "phone", "video"]),
                        recorded_by=staff))
                    done[side].append(month)
                month = next_month(month)
            # What record_contact keeps on the placement (bulk rows skip the service).
            p.first_missing_month = first_missing_month(
                starts_on=first, student_months=done["student"], family_months=done["family"])
            if len(contacts) > 20000:
                MonthlyContact.objects.bulk_create(contacts, batch_size=5000)
                contacts = []
        MonthlyContact.objects.bulk_create(contacts, batch_size=5000)
        Placement.objects.bulk_update(placements, ["first_missing_month"], batch_size=1000)
        Orientation.objects.bulk_create(
            [Orientation(student=s, kind=kind, held_on=first, recorded_by=staff)
             for s in students[::3] for kind in ("pre_arrival", "post_arrival")]
            + [Orientation(student=s, kind="pre_arrival", held_on=first, recorded_by=staff)
               for s in students[1::3]], batch_size=2000)
        Incident.objects.bulk_create([
            Incident(student=p.student, placement=p, type=Incident.Type.SERIOUS_ILLNESS,
                     severity=Incident.Severity.SERIOUS, occurred_on=today,
                     description="Bench incident.", reported_by=staff,
                     requires_mandatory_report=k % 2 == 0,
                     report_due_at=now + datetime.timedelta(days=1) if k % 2 == 0 else None)
            for k, p in enumerate(placements[::100])])
print(Student.objects.filter(season=season).count(),
      MonthlyContact.objects.filter(placement__student__season=season).count())
"""

# Queries per page through the test client, as verified staff (each page warmed first).
QUERY_SCRIPT = (
    STAFF_CLIENT
    + r"""
pages = json.loads(sys.argv[1])
out = {}
for label, path in pages.items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    out[label] = len(queries.captured_queries)
print(json.dumps(out))
"""
)


# p50 of wall and CPU time per page in-process, the baseline first (bench/common.py's helper).
IN_PROCESS_SCRIPT = (
    STAFF_CLIENT
    + r"""
from bench.common import p50_in_process
pages, runs = json.loads(sys.argv[1]), int(sys.argv[2])
print(json.dumps({label: p50_in_process(client, path, runs) for label, path in pages.items()}))
"""
)


def run(script: str, *args: str) -> str:
    return run_script(RUN_DIR, script, *args)


def latency(cookie: str) -> None:
    section(
        "Latency at 2,000 students and 24 months of contacts, gunicorn 2 workers, DEBUG off "
        f"(ms; goal: p50 within 10x baseline; load average {os.getloadavg()[0]:.1f})"
    )
    scenarios: dict[str, Callable[[], Scenario]] = {
        BASELINE[0]: partial(get_page, BASELINE[1]),
        SIGNED_IN_BASELINE[0]: partial(get_page, SIGNED_IN_BASELINE[1], cookie),
    }
    for label, path in PAGES.items():
        scenarios[label] = partial(get_page, path, cookie)
    # Every page here is staff's: each is set beside the bare view requested with the same
    # staff session (the first row, anonymous, stays in the `x first` column).
    latency_table(RUN_DIR, scenarios, against=dict.fromkeys(PAGES, SIGNED_IN_BASELINE[0]))


def in_process(runs: int = 15) -> None:
    section(
        "In-process at 2,000 students (Django test client; ms, p50 of wall and CPU time; goal: "
        f"within 10x baseline; load average {os.getloadavg()[0]:.1f})"
    )
    pages = {BASELINE[0]: BASELINE[1], **PAGES}
    found = json.loads(run(IN_PROCESS_SCRIPT, json.dumps(pages), str(runs)))
    wall, cpu = found[BASELINE[0]]
    print(f"  {'page':<34} {'wall':>8} {'x base':>7} {'CPU':>8} {'x base':>7}")
    for label, (w, c) in found.items():
        print(f"  {label:<34} {w:8.1f} {w / wall:7.1f} {c:8.1f} {c / cpu:7.1f}")


def main() -> None:
    os.environ.pop("DATABASE_URL", None)  # the bench's own SQLite file unless told
    os.environ["EMAIL_URL"] = "dummymail://"
    print(
        f"Exchanges bench ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}). The machine is shared (2 cores, "
        "other engineers' tests running): figures may be noisy; compare each with the "
        "baseline measured beside it."
    )
    quick = "--in-process" in sys.argv[1:]
    reused = quick and (RUN_DIR / "twinning.sqlite3").exists()
    if not reused:
        fresh_run_dir(RUN_DIR)
    cookie = run(STAFF_SESSION_SCRIPT)
    counts = {}
    sizes = (2_000,) if reused else (200, 2_000)  # a reused database has its 2,000 already
    for size in sizes:
        students, contacts = run(SEED_SCRIPT, str(size)).split()
        print(f"  seeded {int(students):,} placed students, {int(contacts):,} monthly contacts")
        counts[size] = json.loads(run(QUERY_SCRIPT, json.dumps(PAGES)))
    section("SQL queries per page (goal: the same at both sizes)")
    print(f"  {'page':<34} " + " ".join(f"{size:>7,}" for size in sizes))
    for label in PAGES:
        print(f"  {label:<34} " + " ".join(f"{counts[size][label]:>7}" for size in sizes))
    in_process()
    if not quick:
        latency(cookie)


if __name__ == "__main__":
    main()
