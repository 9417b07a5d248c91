"""Benchmark of the review engine (`.venv/bin/python bench/review.py`): figures printed beside a
baseline measured in the same run, never asserted.

1. Assignment: 10,000 items x 3 reviews over 60 judges, with conflicts from the registry (each
   judge's community, its sister cities, items spread over 200 home communities): the time of
   `assign_reviews` (reads, plan, bulk insert) and of the plan alone, the load spread, the items
   left short.
2. Pages with 10,000 items and 30,000 submitted reviews (90,000 scores): the staff progress
   page, the ranking (first page) and a judge's queue; p50 beside the bare baseline view of
   bench/urls.py, both through the same Django stack in this process (django.test.Client).
3. SQL queries of the same pages at 1,000 and 10,000 items (goal: the same).

The reviewed objects are a bench-only proxy of Community (no table), registered as Reviewable
here, so the bench needs nothing from the program apps.
"""

import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import BENCH_DIR, env_for, section  # noqa: E402

RUN_DIR = BENCH_DIR / "review"
HOMES, JUDGES, K = 200, 60, 3


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def define_reviewable():
    from twinning.network.models import Community
    from twinning.review.interface import Work, register_reviewable

    class BenchWork(Community):
        """An item of the bench: its home community's id is kept in `population`."""

        class Meta:
            proxy = True
            app_label = "review"

        def review_title(self) -> str:
            return f"Work {self.pk}"

        def review_work(self) -> Work:
            return Work("review/work_text.html", {"paragraphs": [f"Work {self.pk}."]})

        def conflict_keys(self) -> set[str]:
            return {f"community:{self.population}"}

        def review_eligibility(self) -> tuple[bool, str]:
            return True, ""

    register_reviewable(BenchWork)
    return BenchWork


def make_registry():
    from twinning.network.models import Community, Country, Partnership

    country, _ = Country.objects.get_or_create(code="FR", defaults={"name": "France"})
    homes = Community.objects.bulk_create(
        [
            Community(
                name=f"Home {i}",
                slug=f"home-{i}",
                name_key=f"home {i}",
                search_name=f"home {i}",
                country=country,
            )
            for i in range(HOMES)
        ]
    )
    rng = random.Random(7)
    pairs = set()
    while len(pairs) < 300:
        a, b = sorted(rng.sample([h.pk for h in homes], 2))
        pairs.add((a, b))
    Partnership.objects.bulk_create(
        [Partnership(community_a_id=a, community_b_id=b, source="bench") for a, b in pairs]
    )
    return country, homes


def make_round(model, country, homes, items: int, tag: str):
    """A round with `items` works, 60 judges with home communities, nothing assigned yet."""
    import datetime

    from django.utils import timezone

    from twinning.accounts.models import User
    from twinning.network.models import Community
    from twinning.review.models import Reviewer
    from twinning.review.services import add_items, change_round_state, create_round

    now = timezone.now()
    round_ = create_round(
        name=f"Bench {tag}",
        model=model,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        by=None,
    )
    change_round_state(round=round_, state="open", by=None)
    rng = random.Random(items)
    works = Community.objects.bulk_create(
        [
            Community(
                name=f"W{tag}-{i}",
                slug=f"w{tag}-{i}",
                name_key=f"w{tag} {i}",
                search_name=f"w{tag} {i}",
                country=country,
                population=rng.choice(homes).pk,
            )
            for i in range(items)
        ],
        batch_size=2000,
    )
    objects = list(model.objects.filter(pk__in=[w.pk for w in works]))
    add_items(round=round_, objects=objects, group_of=lambda o: f"g{o.pk % 6}", by=None)
    users = User.objects.bulk_create(
        [User(email=f"judge{tag}-{j}@bench.example", full_name=f"Judge {j}") for j in range(JUDGES)]
    )
    Reviewer.objects.bulk_create(
        [
            Reviewer(round=round_, user=u, community=homes[j * (HOMES // JUDGES)])
            for j, u in enumerate(users)
        ]
    )
    return round_


def time_assignment(round_) -> None:
    from twinning.review.assignment import plan_assignments
    from twinning.review.conflicts import item_spec, reviewer_specs
    from twinning.review.models import Assignment, ReviewItem
    from twinning.review.services import assign_reviews

    specs = list(reviewer_specs(round_.reviewers.all()).values())
    items = [item_spec(i) for i in ReviewItem.objects.filter(round=round_)]
    start = time.perf_counter()
    plan = plan_assignments(items, specs, K)
    plan_seconds = time.perf_counter() - start
    start = time.perf_counter()
    summary = assign_reviews(round=round_, by=None)
    total_seconds = time.perf_counter() - start
    loads = sorted(summary.loads.values())
    conflicted = sum(
        1
        for a in Assignment.objects.filter(item__round=round_).select_related("item")
        if set(a.item.conflict_keys) & next(s.keys for s in specs if s.id == a.reviewer_id)
    )
    eligible = statistics.mean(sum(not (set(i.keys) & s.keys) for s in specs) for i in items[:1000])
    print(f"  items {len(items):,}, judges {len(specs)}, k={K}; eligible per item ~{eligible:.1f}")
    print(f"  plan alone:               {plan_seconds * 1000:8.0f} ms ({len(plan.pairs):,} pairs)")
    print(f"  assign_reviews (with DB): {total_seconds * 1000:8.0f} ms (goal: under 5,000 ms)")
    print(f"  loads: min {loads[0]}, max {loads[-1]}, spread {summary.spread} (goal: <= 1)")
    print(f"  items short of reviewers: {len(summary.short)}; conflicted assignments: {conflicted}")


def score_everything(round_) -> None:
    """Submit every assignment (bulk, outside the services: this only sets the stage)."""
    from django.utils import timezone

    from twinning.review.models import Assignment, Score, results_changed

    rng = random.Random(3)
    criteria = list(round_.criteria.all())
    assignments = list(Assignment.objects.filter(item__round=round_).values_list("pk", flat=True))
    Score.objects.bulk_create(
        [
            Score(assignment_id=a, criterion=c, value=rng.randint(1, 10))
            for a in assignments
            for c in criteria
        ],
        batch_size=5000,
    )
    Assignment.objects.filter(pk__in=assignments).update(submitted_at=timezone.now(), version=1)
    results_changed(round_.pk)  # what the services do on every submission


def clients(round_):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from twinning.accounts.models import User

    staff, _ = User.objects.get_or_create(email="staff@bench.example", defaults={"is_staff": True})
    staff_client = Client()
    staff_client.force_login(staff)
    device, _ = TOTPDevice.objects.get_or_create(user=staff, name="bench", confirmed=True)
    session = staff_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    judge_client = Client()
    judge_client.force_login(round_.reviewers.first().user)
    return staff_client, judge_client


def pages(round_) -> dict[str, tuple[str, str]]:
    return {
        "baseline (bare view, 20 rows)": ("staff", "/bench/baseline/"),
        "staff progress page": ("staff", f"/review/rounds/{round_.pk}/"),
        "staff ranking (first page)": ("staff", f"/review/rounds/{round_.pk}/ranking/"),
        "judge's queue": ("judge", "/review/"),
    }


def p50(client, path: str, runs: int) -> float:
    for _ in range(2):
        client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    return statistics.median(times) * 1000


def latency(round_) -> None:
    staff, judge = clients(round_)
    who = {"staff": staff, "judge": judge}
    results = {
        label: p50(who[w], path, 60 if "baseline" in label else 15)
        for label, (w, path) in pages(round_).items()
    }
    base = results["baseline (bare view, 20 rows)"]
    print(f"  {'page':<34} {'p50 ms':>8} {'x baseline':>11}")
    for label, value in results.items():
        print(f"  {label:<34} {value:>8.1f} {value / base:>11.1f}")
    print("  right after a change (a submission: the cached figures are recomputed):")
    for label in ("staff progress page", "staff ranking (first page)"):
        value = cold_p50(staff, pages(round_)[label][1], round_)
        print(f"  {label:<34} {value:>8.1f} {value / base:>11.1f}")


def cold_p50(client, path: str, round_, runs: int = 5) -> float:
    from twinning.review.models import results_changed

    times = []
    for _ in range(runs):
        results_changed(round_.pk)
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def query_counts(rounds: dict[str, object]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, int]] = {}
    for tag, round_ in rounds.items():
        staff, judge = clients(round_)
        who = {"staff": staff, "judge": judge}
        for label, (w, path) in pages(round_).items():
            if "baseline" in label:
                continue
            who[w].get(path)
            with CaptureQueriesContext(connection) as queries:
                who[w].get(path)
            counts.setdefault(label, {})[tag] = len(queries)
    print(f"  {'page':<34} {'1,000':>6} {'10,000':>7}")
    for label, per in counts.items():
        print(f"  {label:<34} {per['1k']:>6} {per['10k']:>7}")


def main() -> None:
    setup_django()
    model = define_reviewable()
    country, homes = make_registry()

    section("Assignment: 10,000 items x 3 reviews over 60 judges, conflicts from the registry")
    big = make_round(model, country, homes, 10_000, "10k")
    time_assignment(big)

    small = make_round(model, country, homes, 1_000, "1k")
    from twinning.review.services import assign_reviews

    assign_reviews(round=small, by=None)
    score_everything(big)
    score_everything(small)

    section("Pages at 10,000 items, 30,000 submitted reviews (in-process, same stack as baseline)")
    latency(big)

    section("SQL queries per page at 1,000 and 10,000 items (goal: the same)")
    query_counts({"1k": small, "10k": big})


if __name__ == "__main__":
    main()
