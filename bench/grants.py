"""Benchmark of funding programs (`.venv/bin/python bench/grants.py`): figures printed beside
a baseline measured in the same run, never asserted.

1. A call with 2,000 submitted applications (two sides each, budgets in two currencies) under
   review: 60 reviewers, 3 reviews per application (6,000 submitted reviews). Timed: the
   engine's ranking of the call, the funding table (ranking + amounts converted + the proposal
   under the budget), and the pure proposal alone over 2,000 candidates.
2. Pages (in-process, the same Django stack as the bare baseline view of bench/urls.py): the
   staff funding table, the call's ranking page on the review engine, the portfolio (2,000+
   grants) and the public funded projects; p50 beside the baseline (goal: within 10x), in wall
   time and in this process's CPU time (the steadier figure when other work shares the
   machine).
3. SQL queries of those pages with 200 and with 2,000 applications (goal: the same).

Applications, grants, tranches and reports are made in bulk (setting the stage, not the
subject); the review round, items, assignment and ranking go through the engine's services.
Its own SQLite database under var/bench/grants; nothing else is touched."""

import datetime
import os
import random
import shutil
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import page_queries  # noqa: E402
from bench.review import clients, score_everything  # noqa: E402
from bench.run import BENCH_DIR, env_for, section  # noqa: E402

RUN_DIR = BENCH_DIR / "grants"
HOMES, JUDGES = 400, 60


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_registry():
    from twinning.network.models import Community, Country, Member, Partnership

    us, _ = Country.objects.get_or_create(code="US", defaults={"name": "United States"})
    ke, _ = Country.objects.get_or_create(code="KE", defaults={"name": "Kenya", "region": "africa"})
    homes = Community.objects.bulk_create(
        [
            Community(
                name=f"Home {i}",
                slug=f"home-{i}",
                name_key=f"home {i}",
                search_name=f"home {i}",
                country=us if i % 2 == 0 else ke,
                latitude=random.uniform(-30, 50),
                longitude=random.uniform(-120, 40),
            )
            for i in range(HOMES)
        ]
    )
    Partnership.objects.bulk_create(
        [
            Partnership(community_a_id=homes[i].pk, community_b_id=homes[i + 1].pk, source="bench")
            for i in range(0, HOMES, 2)
        ]
    )
    members = Member.objects.bulk_create(
        [Member(name=f"Committee {i}", slug=f"committee-{i}") for i in range(HOMES)]
    )
    for member, home in zip(members, homes, strict=True):
        member.communities.add(home)
    return homes, members


def make_call(tag: str):
    from django.utils import timezone

    from twinning.core.authz import SYSTEM
    from twinning.grants.services import create_call, create_program

    now = timezone.now()
    program = create_program(
        name=f"Bench program {tag}",
        slug=f"bench-{tag}",
        funder="Bench",
        budget=Decimal("20000000"),
        currency="USD",
        by=SYSTEM,
    )
    return create_call(
        program=program,
        title=f"Bench call {tag}",
        slug=f"bench-call-{tag}",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=1),
        max_per_application=Decimal("115000"),
        rates={"KES": Decimal("0.0077")},
        by=SYSTEM,
    )


def make_applications(call, homes, members, n: int):
    """n submitted applications, each of a pair of partner communities (bulk)."""
    from django.utils import timezone

    from twinning.grants.models import Application, ApplicationSide, BudgetLine

    rng = random.Random(n)
    apps = Application.objects.bulk_create(
        [
            Application(
                call=call,
                title=f"Project {call.slug} {i}",
                state="submitted",
                theme=rng.choice(["Water", "Youth", "Economy"]),
                submitted_at=timezone.now(),
                content_hash="bench",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    sides = []
    for i, application in enumerate(apps):
        pair = (i * 2) % HOMES
        sides.append(
            ApplicationSide(
                application=application,
                community=homes[pair],
                member=members[pair],
                is_lead=True,
                currency="USD",
            )
        )
        sides.append(
            ApplicationSide(
                application=application,
                community=homes[pair + 1],
                member=members[pair + 1],
                currency="KES",
            )
        )
    sides = ApplicationSide.objects.bulk_create(sides, batch_size=2000)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                side=side,
                description="Costs",
                cost=Decimal(rng.randint(20, 60) * 1000) * (130 if side.currency == "KES" else 1),
                requested=Decimal(rng.randint(10, 20) * 1000)
                * (130 if side.currency == "KES" else 1),
            )
            for side in sides
        ],
        batch_size=2000,
    )
    return apps


def review(call, homes, tag: str):
    from twinning.accounts.models import User
    from twinning.core.authz import SYSTEM
    from twinning.grants.services import open_review
    from twinning.review.interface import add_reviewer, assign_reviews, change_round_state

    round_ = open_review(call=call, by=SYSTEM)
    change_round_state(round=round_, state="open", by=SYSTEM)
    users = User.objects.bulk_create(
        [User(email=f"reviewer{tag}-{j}@bench.example", full_name=f"R {j}") for j in range(JUDGES)]
    )
    for j, user in enumerate(users):
        add_reviewer(round=round_, user=user, community=homes[(j * 7) % HOMES], by=SYSTEM)
    summary = assign_reviews(round=round_, by=SYSTEM)
    score_everything(round_)
    return round_, summary


def make_grants(apps):
    """Every application funded, with a grant, three tranches (one paid) and four reports."""
    from django.utils import timezone

    from twinning.grants.models import Application, Grant, Report, Tranche

    today = timezone.localdate()
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state="funded", decision="funded", awarded_amount=Decimal(30000)
    )
    from twinning.grants.models import ApplicationSide

    countries: dict[int, set[str]] = {}
    for app_id, code in ApplicationSide.objects.filter(application__in=apps).values_list(
        "application_id", "community__country_id"
    ):
        countries.setdefault(app_id, set()).add(code)
    grants = Grant.objects.bulk_create(
        [
            Grant(
                application=a,
                amount=Decimal(30000),
                currency="USD",
                starts_on=today,
                countries="-".join(sorted(countries[a.pk])),  # as grants.services does
            )
            for a in apps
        ],
        batch_size=1000,
    )
    Tranche.objects.bulk_create(
        [
            Tranche(
                grant=g,
                number=n,
                amount=Decimal(10000),
                after_report=after,
                paid_at=timezone.now() if n == 1 else None,
            )
            for g in grants
            for n, after in ((1, ""), (2, "interim"), (3, "final"))
        ],
        batch_size=3000,
    )
    by_app: dict[int, list[int]] = {}
    for side_id, app_id in ApplicationSide.objects.filter(application__in=apps).values_list(
        "pk", "application_id"
    ):
        by_app.setdefault(app_id, []).append(side_id)
    Report.objects.bulk_create(
        [
            Report(
                grant=g,
                side_id=s,
                kind=k,
                due_on=today + datetime.timedelta(days=d),
                state="approved" if k == "interim" else "due",
                participants=10,
                outcomes="Done" if k == "interim" else "",
            )
            for g in grants
            for s in by_app[g.application_id]
            for k, d in (("interim", 180), ("final", 365))
        ],
        batch_size=4000,
    )


def timed(label: str, function, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    value = statistics.median(times) * 1000
    print(f"  {label:<52} {value:>8.1f} ms")
    return value


def p50(client, path: str, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (ms): on a machine shared with
    other work the CPU time is the steadier figure (SQLite runs in this process too)."""
    for _ in range(2):
        client.get(path)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def pages(call) -> dict[str, str]:
    ranking = f"/review/rounds/{call.review_round_id}/ranking/"
    return {
        "staff funding table (ranking, total, proposal)": f"/staff/grants/calls/{call.slug}/",
        "the call's ranking (review engine's page)": ranking,
        "portfolio (all grants, map)": "/staff/grants/portfolio/",
        "public funded projects": "/grants/funded/",
    }


def counts(client, call) -> dict[str, int]:
    return page_queries(client, pages(call))


def main() -> None:
    setup_django()
    from twinning.grants.funding import Candidate, propose_funding
    from twinning.grants.services.decisions import funding_table
    from twinning.review.interface import ranking
    from twinning.review.models import results_changed

    homes, members = make_registry()

    small = make_call("200")
    small_apps = make_applications(small, homes, members, 200)
    small_round, _ = review(small, homes, "s")
    make_grants(small_apps)
    staff, _judge = clients(small_round)
    few = counts(staff, small)

    section("A call of 2,000 applications, 60 reviewers x 3 reviews each (6,000 reviews)")
    big = make_call("2000")
    started = time.perf_counter()
    big_apps = make_applications(big, homes, members, 2000)
    round_, summary = review(big, homes, "b")
    print(
        f"  set up in {time.perf_counter() - started:.1f} s; loads spread {summary.spread}, "
        f"short {len(summary.short)}"
    )

    def cold_ranking() -> None:
        results_changed(round_.pk)
        ranking(round_)

    timed("ranking (cold: just after a review)", cold_ranking)
    timed("ranking (warm)", lambda: ranking(round_))
    timed("funding table (ranking, amounts, proposal)", lambda: funding_table(big))
    rng = random.Random(1)
    candidates = [Candidate(i, Decimal(rng.randint(10_000, 115_000))) for i in range(2000)]
    timed(
        "proposal alone, 2,000 candidates",
        lambda: propose_funding(candidates, Decimal(5_000_000)),
        21,
    )
    make_grants(big_apps)

    section("Pages at 2,000 applications and 2,200 grants (in-process, same stack as baseline)")
    base, base_cpu = p50(staff, "/bench/baseline/", 60)
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    label = "baseline (bare view, 20 rows)"
    print(f"  {label:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    for label, path in pages(big).items():
        value, cpu = p50(staff, path, 15)
        print(
            f"  {label:<52} {value:>8.1f} {value / base:>7.1f} {cpu:>7.1f} {cpu / base_cpu:>7.1f}"
        )

    section("SQL queries per page with 200 and with 2,000 applications (goal: the same)")
    many = counts(staff, big)
    print(f"  {'page':<52} {'200':>6} {'2,000':>7}")
    for label in few:
        print(f"  {label:<52} {few[label]:>6} {many[label]:>7}")


if __name__ == "__main__":
    main()
