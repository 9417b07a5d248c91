"""Benchmark of the awards ranking page (`.venv/bin/python bench/awards.py`): figures printed
beside a baseline measured in the same run, never asserted.

1. A category with 2,000 counting nominations (2,000 committees with a community each),
   judged by 60 judges with 3 reviews each (6,000 submitted reviews): p50 of the staff's
   ranking page (/awards/staff/<year>/<category>/ranking/, decisions and committees beside
   the engine's normalised ranking) and of the category's nominations list, beside the bare
   baseline view of bench/urls.py (goal: within 10x), both through the same Django stack in
   this process (django.test.Client).
2. SQL queries of the same pages at 200 and 2,000 nominations (goal: the same).

The judging is set up through the awards' services (open_judging puts the nominations under
review on the engine), the scores in bulk (bench/review.py's score_everything).
"""

import datetime
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import BENCH_DIR, env_for, section  # noqa: E402

RUN_DIR = BENCH_DIR / "awards"
JUDGES = 60


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_category(year: int, nominations: int):
    """A closed cycle whose smallest bracket holds `nominations` submitted nominations, judged
    by 60 judges (3 reviews each, all submitted)."""
    from django.utils import timezone

    from bench.review import score_everything
    from twinning.accounts.models import User
    from twinning.awards.models import Cycle, Nomination
    from twinning.awards.services import create_cycle, open_judging
    from twinning.core.authz import SYSTEM
    from twinning.network.models import Community, Country, Member
    from twinning.review.interface import assign_reviews
    from twinning.review.models import Reviewer

    now = timezone.now()
    cycle = create_cycle(
        year=year,
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=1),
        by=SYSTEM,
    )
    Cycle.objects.filter(pk=cycle.pk).update(closes_at=now - datetime.timedelta(hours=1))
    category = cycle.categories.get(slug="best-overall-program-up-to-25000")
    country, _ = Country.objects.get_or_create(code="US", defaults={"name": "United States"})
    communities = Community.objects.bulk_create(
        [
            Community(
                name=f"Town {year}-{i}",
                slug=f"town-{year}-{i}",
                name_key=f"town {year} {i}",
                search_name=f"town {year} {i}",
                country=country,
                population=10_000,
            )
            for i in range(nominations)
        ],
        batch_size=2000,
    )
    members = Member.objects.bulk_create(
        [
            Member(name=f"Committee {year}-{i}", slug=f"committee-{year}-{i}")
            for i in range(nominations)
        ],
        batch_size=2000,
    )
    Member.communities.through.objects.bulk_create(
        [
            Member.communities.through(member_id=m.pk, community_id=c.pk)
            for m, c in zip(members, communities, strict=True)
        ],
        batch_size=5000,
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                category=category,
                member=m,
                community=c,
                title=f"Program {i}",
                story="A story.",
                state=Nomination.State.SUBMITTED,
                submitted_at=now,
            )
            for i, (m, c) in enumerate(zip(members, communities, strict=True))
        ],
        batch_size=2000,
    )
    round_ = open_judging(category=category, by=SYSTEM)
    users = User.objects.bulk_create(
        [
            User(email=f"judge{year}-{j}@bench.example", full_name=f"Judge {j}")
            for j in range(JUDGES)
        ]
    )
    Reviewer.objects.bulk_create([Reviewer(round=round_, user=u) for u in users])
    assign_reviews(round=round_, by=SYSTEM)
    score_everything(round_)
    category.refresh_from_db()
    return category


def pages(category) -> dict[str, tuple[str, str]]:
    base = f"/awards/staff/{category.cycle.year}/{category.slug}/"
    return {
        "baseline (bare view, 20 rows)": ("staff", "/bench/baseline/"),
        "awards ranking (first page)": ("staff", f"{base}ranking/"),
        "category's nominations": ("staff", base),
    }


def latency(category) -> None:
    from bench.review import p50

    staff = _staff()
    results = {
        label: p50(staff, path, 60 if "baseline" in label else 15)
        for label, (_w, path) in pages(category).items()
    }
    base = results["baseline (bare view, 20 rows)"]
    print(f"  {'page':<34} {'p50 ms':>8} {'x baseline':>11}")
    for label, value in results.items():
        print(f"  {label:<34} {value:>8.1f} {value / base:>11.1f}")


def _staff():
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from twinning.accounts.models import User

    staff, _ = User.objects.get_or_create(email="staff@bench.example", defaults={"is_staff": True})
    client = Client()
    client.force_login(staff)
    device, _ = TOTPDevice.objects.get_or_create(user=staff, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def query_counts(categories: dict[str, object]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = _staff()
    counts: dict[str, dict[str, int]] = {}
    for tag, category in categories.items():
        for label, (_w, path) in pages(category).items():
            if "baseline" in label:
                continue
            staff.get(path)
            with CaptureQueriesContext(connection) as queries:
                staff.get(path)
            counts.setdefault(label, {})[tag] = len(queries)
    print(f"  {'page':<34} {'200':>6} {'2,000':>7}")
    for label, per in counts.items():
        print(f"  {label:<34} {per['200']:>6} {per['2000']:>7}")


def main() -> None:
    setup_django()
    section("Awards ranking: 2,000 nominations, 6,000 submitted reviews (60 judges)")
    big = make_category(2030, 2_000)
    small = make_category(2031, 200)
    latency(big)

    section("SQL queries per page at 200 and 2,000 nominations (goal: the same)")
    query_counts({"200": small, "2000": big})


if __name__ == "__main__":
    main()
