"""Benchmark of relief appeals (`.venv/bin/python bench/relief.py`): figures printed beside a
baseline measured in the same run, never asserted.

1. Two open appeals, one with 2,000 pledges (each paid: 2,000 donations on the ledger) and
   one with 20,000 pledges and 20,000 donations, 40 approved expenses and 200 shipments.
2. Pages (in-process, the same Django stack as the bare baseline view of bench/urls.py): the
   public appeal page and its ledger CSV (read to the end); p50 beside the baseline
   (goal: within 10x), in wall time and in this process's CPU time.
   The CSV is a snapshot built once per ledger version: the first request after a change
   builds it (timed on its own), the others serve the stored file. The page's sections are
   cached under the appeal's versions: the first request after a change renders them (timed
   on its own, a new page version before each request), the others read the cache.
3. SQL queries of those pages with 2,000 and with 20,000 pledges (goal: the same), and of the
   page's first request after a change.

Pledges, donations, expenses and shipments are made in bulk (setting the stage, not the
subject), then `rebuild_totals` computes the running totals the money services keep; the
appeal and its confirmed need go through the services. Its own SQLite database under
var/bench/relief; nothing else is touched."""

import datetime
import os
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import p50_in_process  # noqa: E402
from bench.run import BENCH_DIR, env_for, section  # noqa: E402

RUN_DIR = BENCH_DIR / "relief"
CSV_LABEL = "ledger CSV (the stored snapshot, every row)"
PAGE_LABEL = "public appeal page (needs, latest lines, shipments)"
CHANGED_LABEL = "the page, first request after a change"


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_appeal(tag: str, pledges: int):
    from twinning.core.authz import SYSTEM
    from twinning.core.dates import association_today
    from twinning.network.models import Community, Country
    from twinning.relief.models import Donation, Expense, Pledge, Shipment, ShipmentLine
    from twinning.relief.services import (
        add_need,
        confirm_need,
        create_appeal,
        rebuild_totals,
        set_appeal_status,
    )

    country, _ = Country.objects.get_or_create(code="PH", defaults={"name": "Philippines"})
    place = Community.objects.create(
        name=f"Place {tag}",
        slug=f"place-{tag}",
        name_key=f"place {tag}",
        search_name=f"place {tag}",
        country=country,
        latitude=11.2,
        longitude=125.0,
    )
    today = association_today()
    appeal = create_appeal(
        kind="emergency",
        title=f"Bench appeal {tag}",
        community=place,
        goal=Decimal(10_000_000),
        currency="USD",
        starts_on=today - datetime.timedelta(days=30),
        by=SYSTEM,
    )
    need = add_need(
        appeal=appeal, kind="goods", title="Filters", quantity=10**8, unit="filters", by=SYSTEM
    )
    confirm_need(need=need, by=SYSTEM)
    set_appeal_status(appeal=appeal, status="open", by=SYSTEM)
    rows = Pledge.objects.bulk_create(
        [
            Pledge(
                appeal=appeal,
                kind="goods" if i % 2 else "money",
                need=need if i % 2 else None,
                quantity=3 if i % 2 else None,
                amount=None if i % 2 else Decimal("25.00"),
                currency="" if i % 2 else "USD",
                name=f"Donor {i}",
                anonymous=i % 7 == 0,
                email=f"donor{i}@example.org",
            )
            for i in range(pledges)
        ],
        batch_size=4000,
    )
    Donation.objects.bulk_create(
        [
            Donation(
                appeal=appeal,
                pledge=pledge,
                name=pledge.name,
                anonymous=pledge.anonymous,
                email=pledge.email,
                amount=Decimal("25.00"),
                currency="USD" if i % 5 else "EUR",
                provider="manual",
                method="bank_transfer",
                reference=f"TRF-{i}",
                received_on=today - datetime.timedelta(days=i % 25),
            )
            for i, pledge in enumerate(rows)
        ],
        batch_size=4000,
    )
    Expense.objects.bulk_create(
        [
            Expense(
                appeal=appeal,
                description=f"Purchase {i}",
                amount=Decimal("100.00"),
                currency="USD",
                spent_on=today,
                state="approved",
                receipt_name="",
                receipt_mime="application/pdf",
                receipt_display_name="r.pdf",
            )
            for i in range(40)
        ]
    )
    shipments = Shipment.objects.bulk_create(
        [Shipment(appeal=appeal, carrier="DHL", tracking=f"T{i}") for i in range(pledges // 100)]
    )
    goods = [p for p in rows if p.kind == "goods"]
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(shipment=s, need=need, pledge=goods[i], quantity=3)
            for i, s in enumerate(shipments)
        ]
    )
    rebuild_totals([appeal])
    appeal.refresh_from_db()
    return appeal


def clients():
    from django.test import Client

    return Client()


def pages(appeal) -> dict[str, str]:
    return {
        PAGE_LABEL: f"/relief/{appeal.slug}/",
        CSV_LABEL: f"/relief/{appeal.slug}/ledger.csv",
    }


def read(client, path: str) -> int:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    if hasattr(response, "streaming_content"):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def page_queries(client, pages: dict[str, str]) -> dict[str, int]:
    """SQL queries per page, the streamed CSV read to its end (bench.common's helper does not
    read a streamed body, whose queries run while it is read)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, path in pages.items():
        read(client, path)
        with CaptureQueriesContext(connection) as queries:
            read(client, path)
        found[label] = len(queries)
    from twinning.relief.services.appeals import touch_page

    touch_page(appeal_id(pages[PAGE_LABEL]))
    with CaptureQueriesContext(connection) as queries:
        read(client, pages[PAGE_LABEL])
    found[CHANGED_LABEL] = len(queries)
    return found


def appeal_id(path: str) -> int:
    from twinning.relief.models import Appeal

    return Appeal.objects.get(slug=path.strip("/").split("/")[-1]).pk


def p50_after_change(client, path: str, runs: int) -> tuple[float, float]:
    """p50 (wall, CPU ms) of the page's first request after a change: a new page version
    (outside the timing) before each request, so each renders the sections anew."""
    import statistics

    from twinning.relief.services.appeals import touch_page

    pk = appeal_id(path)
    times, cpu = [], []
    for _ in range(runs):
        touch_page(pk)
        start, start_cpu = time.perf_counter(), time.process_time()
        read(client, path)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    setup_django()
    client = clients()
    small = make_appeal("2000", 2000)
    few = page_queries(client, pages(small))

    section("An appeal with 20,000 pledges and 20,000 donations on its ledger")
    big = make_appeal("20000", 20000)
    print(f"  ledger CSV size: {read(client, pages(big)[CSV_LABEL])} bytes")

    section("The ledger CSV's snapshot, built by the first request after a change")
    from twinning.relief.services.ledger import bump_ledger

    bump_ledger(big.pk)
    start, start_cpu = time.perf_counter(), time.process_time()
    read(client, pages(big)[CSV_LABEL])
    print(
        f"  built in {(time.perf_counter() - start) * 1000:.0f} ms wall, "
        f"{(time.process_time() - start_cpu) * 1000:.0f} ms CPU (once per ledger version)"
    )

    section("Pages at 20,000 pledges (in-process, same stack as baseline)")
    base, base_cpu = p50_in_process(client, "/bench/baseline/", 60)
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    label = "baseline (bare view, 20 rows)"
    print(f"  {label:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    for label, path in pages(big).items():
        value, cpu = p50_in_process(client, path, 15)
        print(
            f"  {label:<52} {value:>8.1f} {value / base:>7.1f} {cpu:>7.1f} {cpu / base_cpu:>7.1f}"
        )
    value, cpu = p50_after_change(client, pages(big)[PAGE_LABEL], 15)
    label = CHANGED_LABEL
    print(f"  {label:<52} {value:>8.1f} {value / base:>7.1f} {cpu:>7.1f} {cpu / base_cpu:>7.1f}")

    section("SQL queries per page with 2,000 and with 20,000 pledges (goal: the same)")
    many = page_queries(client, pages(big))
    print(f"  {'page':<52} {'2,000':>6} {'20,000':>7}")
    for label in few:
        print(f"  {label:<52} {few[label]:>6} {many[label]:>7}")


if __name__ == "__main__":
    main()
