"""Benchmark of partner matchmaking (`.venv/bin/python bench/matchmaking.py`): figures printed
beside a baseline measured in the same run, never asserted.

1. A registry the size of the association's: 500 member communities (US), each with 2-8
   partners abroad (about 2,500 communities abroad, 2,500 partnerships), 300 open seeking
   profiles. Timed: reading the registry for the scoring (four queries), the in-memory
   ranking of every community for one seeker, and the warming task's work after a change
   (the suggestions pages viewed lately ranked into the shared cache).
2. Pages (in-process, the same Django stack as the bare baseline view of bench/urls.py): a
   profile's suggestions (staff's page: the same reads as the committee's) warm (this
   process's memo has the ranking), then as the first view after a change of the registry in
   its two cases: warmed by its task (another profile saved before each request, outside the
   timing; the immediate task backend runs the task on the commit, as a worker would before
   the next view) and built in the view (a profile changed, nothing in the shared cache for
   that version: the view reads again the profiles, the part of the registry that changed,
   and ranks), and built in a process that read nothing yet (the whole registry read); and
   the public `/seeking/`; p50 beside the
   baseline (goal: within 10x), wall time and this process's CPU. Each page is requested
   alternately with the baseline and compared with that paired baseline (the machine is
   shared: load changes within a run); each section's own baseline is printed too.
3. SQL queries of those pages at a tenth of the registry and at the full one (goal: the same).
4. The municipal expertise exchange: staff's matching page (open requests, 20 a page, each
   with its best offers ranked in memory) and one request's page, at 1x (50 offers, 30 open
   requests) and 10x (500 offers, 300 open requests): p50 beside the baseline, queries at both.
5. A committee's own pages (its membership checked: a current membership is made for the
   seeker's member): its suggestions page over the full registry and its request's page with
   the offers ranked for it; p50 beside the baseline, queries at both sizes.

Rows are made in bulk (setting the stage); profiles through their model's checks are not
needed for reading. Its own SQLite database under var/bench/matchmaking."""

import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import p50_in_process, page_queries  # noqa: E402
from bench.run import BENCH_DIR, env_for, section  # noqa: E402

RUN_DIR = BENCH_DIR / "matchmaking"
COUNTRIES = [
    ("FR", "France", "europe"),
    ("DE", "Germany", "europe"),
    ("IT", "Italy", "europe"),
    ("JP", "Japan", "asia"),
    ("CN", "China", "asia"),
    ("KE", "Kenya", "africa"),
    ("GH", "Ghana", "africa"),
    ("BR", "Brazil", "americas"),
    ("MX", "Mexico", "americas"),
    ("AU", "Australia", "oceania"),
]
SECTORS = ["arts", "youth", "business", "municipal", "community"]
LANGUAGES = ["en", "fr", "de", "ja", "es", "sw"]


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_registry(tag: str, homes: int, profiles: int, rng: random.Random):
    """`homes` US member communities with 2-8 partners abroad each; `profiles` open profiles
    spread over both sides."""
    from twinning.matchmaking.models import SeekingProfile
    from twinning.network.models import Community, Country, Member, Partnership

    us, _ = Country.objects.get_or_create(
        code="US", defaults={"name": "United States", "region": "americas"}
    )
    abroad_countries = [
        Country.objects.get_or_create(code=c, defaults={"name": n, "region": r})[0]
        for c, n, r in COUNTRIES
    ]

    def community(name: str, country) -> Community:
        slug = f"{tag}-{name}".lower().replace(" ", "-")
        return Community(
            name=name,
            slug=slug,
            name_key=slug,
            search_name=slug,
            country=country,
            population=rng.randint(2_000, 3_000_000),
            latitude=rng.uniform(-40, 60),
            longitude=rng.uniform(-170, 170),
        )

    home_rows = Community.objects.bulk_create(
        [community(f"{tag} Home {i}", us) for i in range(homes)], batch_size=2000
    )
    partner_rows, pairs = [], []
    for i, home in enumerate(home_rows):
        for j in range(rng.randint(2, 8)):
            partner_rows.append(community(f"{tag} Abroad {i}-{j}", rng.choice(abroad_countries)))
            pairs.append(home)
    partner_rows = Community.objects.bulk_create(partner_rows, batch_size=2000)
    Partnership.objects.bulk_create(
        [
            Partnership(
                community_a_id=min(h.pk, p.pk), community_b_id=max(h.pk, p.pk), source="bench"
            )
            for h, p in zip(pairs, partner_rows, strict=True)
        ],
        batch_size=2000,
    )
    members = Member.objects.bulk_create(
        [Member(name=f"{tag} Committee {i}", slug=f"{tag}-committee-{i}") for i in range(homes)]
    )
    through = Member.communities.through
    through.objects.bulk_create(
        [
            through(member_id=m.pk, community_id=h.pk)
            for m, h in zip(members, home_rows, strict=True)
        ],
        batch_size=2000,
    )
    seekers = rng.sample(home_rows + partner_rows, profiles)
    SeekingProfile.objects.bulk_create(
        [
            SeekingProfile(
                community=c,
                preferred_regions=rng.sample(["europe", "asia", "africa", "americas"], 2),
                sectors=rng.sample(SECTORS, 2),
                languages=rng.sample(LANGUAGES, 2),
                text="We look for youth exchanges and festivals.",
            )
            for c in seekers
        ],
        batch_size=2000,
    )
    first = home_rows[0]
    if not SeekingProfile.objects.filter(community=first).exists():
        SeekingProfile.objects.create(community=first, preferred_regions=["europe"])
    return first


EXPERTISE_FIELDS = [
    "sanitation",
    "water",
    "health",
    "transportation",
    "municipal_tourism",
    "economic_development",
    "municipal_education",
]
FORMS = ["visit", "call", "expert"]
BASE_LABEL = "baseline (bare view, 20 rows)"


def make_expertise(tag: str, offers: int, requests: int, rng: random.Random) -> int:
    """`offers` open offers and `requests` open requests from the `tag` registry's member
    communities (requests also from their partners abroad); returns a request's id."""
    from twinning.matchmaking.models import ExpertiseOffer, ExpertiseRequest
    from twinning.network.models import Community, Member

    held = list(
        Member.communities.through.objects.filter(member__slug__startswith=f"{tag}-committee-")
        .values_list("member_id", "community_id")
        .order_by("pk")
    )
    abroad = list(
        Community.objects.filter(slug__startswith=f"{tag}-{tag}-abroad-").values_list(
            "pk", flat=True
        )[: requests * 2]
    )
    ExpertiseOffer.objects.bulk_create(
        [
            ExpertiseOffer(
                member_id=member,
                community_id=community,
                field=rng.choice(EXPERTISE_FIELDS),
                summary="Our utility halved its losses.",
                people="Head of the utility\nSenior engineer",
                languages=rng.sample(LANGUAGES, 2),
                forms=rng.sample(FORMS, 2),
            )
            for member, community in (rng.choice(held) for _ in range(offers))
        ],
        batch_size=2000,
    )
    made = ExpertiseRequest.objects.bulk_create(
        [
            ExpertiseRequest(
                member_id=member,
                community_id=rng.choice([community, *abroad[:1]] if i % 2 else [community]),
                via="account",
                field=rng.choice(EXPERTISE_FIELDS),
                problem="Our pipes leak.",
                languages=rng.sample(LANGUAGES, 2),
                forms=rng.sample(FORMS, 1),
            )
            for i, (member, community) in enumerate(rng.choice(held) for _ in range(requests))
        ],
        batch_size=2000,
    )
    return made[0].pk


def expertise_pages(request_pk: int) -> dict[str, str]:
    return {
        "expertise matching page (staff, 20 requests a page)": "/staff/matchmaking/expertise/",
        "one request with its ranked offers (staff)": (
            f"/staff/matchmaking/expertise/requests/{request_pk}/"
        ),
    }


def expertise_timings(client, request_pk: int, base: float, base_cpu: float) -> None:
    page_timings(client, expertise_pages(request_pk), base, base_cpu)


def page_timings(
    client, paths: dict[str, str], base: float, base_cpu: float, *, before=None
) -> None:
    """Each page's p50 (wall, CPU) and its ratio to the baseline measured alternately with it
    (a baseline request before each page request, so both see the same load on a shared
    machine); `base` is the section's own baseline, printed for reference."""
    del base, base_cpu  # the paired baseline is the one compared with
    for label, path in paths.items():
        (value, cpu), (paired, paired_cpu) = paired_p50(client, path, 15, before=before)
        print(
            f"  {label:<52} {value:>8.1f} {value / paired:>7.1f} {cpu:>7.1f} "
            f"{cpu / paired_cpu:>7.1f}   (paired baseline {paired:.1f} / {paired_cpu:.1f} ms)"
        )


def paired_p50(
    client, path: str, runs: int, *, before=None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50 (wall, CPU ms) of `path` and of the baseline, requested alternately. `before`: run
    before each request of `path`, outside the timing (a change of the registry, say)."""
    for _ in range(2):
        client.get(path)
        client.get("/bench/baseline/")
    samples: dict[str, tuple[list[float], list[float]]] = {"page": ([], []), "base": ([], [])}
    for _ in range(runs):
        for kind, url in (("base", "/bench/baseline/"), ("page", path)):
            if before is not None and kind == "page":
                before()
            start, start_cpu = time.perf_counter(), time.process_time()
            if client.get(url).status_code != 200:
                raise RuntimeError(url)
            samples[kind][0].append((time.perf_counter() - start) * 1000)
            samples[kind][1].append((time.process_time() - start_cpu) * 1000)
    page, base = samples["page"], samples["base"]
    return (
        (statistics.median(page[0]), statistics.median(page[1])),
        (statistics.median(base[0]), statistics.median(base[1])),
    )


def staff_client():
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


def committee_client(tag: str):
    """The committee admin of the `tag` registry's first member (holding the seeker), its
    membership current: the committee's own pages, with their membership check."""
    import datetime
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from twinning.accounts.models import User
    from twinning.members.models import Membership, MembershipType
    from twinning.members.services.summary import refresh_member_summaries
    from twinning.network.models import Member

    member = Member.objects.get(slug=f"{tag}-committee-0")
    kind, _ = MembershipType.objects.get_or_create(
        name="Bench membership", defaults={"period": "rolling"}
    )
    today, now = timezone.localdate(), timezone.now()
    Membership.objects.create(
        member=member,
        membership_type=kind,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
        grace_end=today + datetime.timedelta(days=330),
        fee=Decimal("300"),
        applied_at=now,
        approved_at=now,
    )
    refresh_member_summaries([member])
    admin, _ = User.objects.get_or_create(email=f"admin@{tag}.bench.example")
    member.admins.add(admin)
    client = Client()
    client.force_login(admin)
    return client, member


def committee_pages(member, seeker, request_pk: int) -> dict[str, str]:
    portal = f"/portal/{member.slug}/matchmaking/"
    return {
        "committee's own suggestions page": f"{portal}{seeker.slug}/suggestions/",
        "committee's request with its ranked offers": f"{portal}expertise/requests/{request_pk}/",
    }


def committee_request(tag: str, member, seeker, rng: random.Random) -> int:
    """An open request of the committee's member for its own community (the committee's
    request page), in a field with offers."""
    from twinning.matchmaking.models import ExpertiseRequest

    return ExpertiseRequest.objects.create(
        member=member,
        community=seeker,
        via="account",
        field=rng.choice(EXPERTISE_FIELDS),
        problem="Our pipes leak.",
        languages=rng.sample(LANGUAGES, 2),
        forms=rng.sample(FORMS, 1),
    ).pk


def timed(label: str, function, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    value = statistics.median(times) * 1000
    print(f"  {label:<52} {value:>8.1f} ms")
    return value


p50 = p50_in_process


SUGGESTIONS = "suggestions for one community (staff's page)"


def pages(seeker) -> dict[str, str]:
    return {
        SUGGESTIONS: f"/staff/matchmaking/{seeker.slug}/suggestions/",
        "public /seeking/ (30 a page, map)": "/seeking/",
        "public /seeking/ filtered (region, field)": "/seeking/?region=europe&field=youth",
    }


def counts(client, seeker) -> dict[str, int]:
    return page_queries(client, pages(seeker))


def full_registry(rng: random.Random):
    """Section 1: the full registry made, its read and its ranking timed; returns the seeker."""
    from twinning.matchmaking.queries import read_registry, registry_version, warm_suggestions
    from twinning.matchmaking.scoring import suggest
    from twinning.network.models import Community, Partnership

    section("A registry of 500 member communities, ~2,500 partners abroad, 300 profiles")
    started = time.perf_counter()
    seeker = make_registry("b", 500, 300, rng)
    print(
        f"  set up in {time.perf_counter() - started:.1f} s: {Community.objects.count():,} "
        f"communities, {Partnership.objects.count():,} partnerships (both registries)"
    )
    registry = read_registry()
    timed("reading the registry for the scoring (4 queries)", read_registry)
    timed("the registry's version (2 queries)", registry_version)
    from twinning.matchmaking import queries as kept

    kept._registry_at(kept._version_parts())
    parts = kept._version_parts()

    def profiles_changed() -> None:
        """The registry again after a change of the profiles: only they are read."""
        kept._reads.profiles = None
        kept._registry_at(parts)

    timed("the registry again after a profile changed (1 query)", profiles_changed)
    timed(
        "ranking every community for one seeker (in memory)",
        lambda: suggest(registry, registry.nodes[seeker.pk]),
    )
    from django.core.cache import cache

    from twinning.matchmaking import queries

    queries._note_viewed((seeker.pk, queries.SUGGESTIONS_LIMIT))  # its page viewed lately
    viewed = cache.get(queries.VIEWED_KEY)

    def task() -> None:
        """The task after a change: nothing warmed at this version yet."""
        keys = [queries._shared_key(*page) for page in viewed]
        cache.delete_many([queries.WARMED_KEY, *keys])
        warm_suggestions()

    timed(f"the task after a change ({len(viewed)} pages viewed lately)", task)
    return seeker


def changed_and_warmed(seeker):
    """A change of the registry (another profile saved) that commits: its task (the immediate
    backend, as the bench runs) ranks every page into the shared cache before the view."""
    from twinning.matchmaking.models import SeekingProfile

    other = SeekingProfile.objects.exclude(community=seeker).order_by("?").first()

    def before() -> None:
        other.save()

    return before


def changed_not_warmed(seeker):
    """The registry as a view finds it after a change the task has not warmed (yet): another
    profile changed (written with `QuerySet.update()`, which enqueues no task: the task would
    run in this process with the immediate backend, where a worker runs it in production),
    nothing in the shared cache for this version and seeker. This process read the registry
    before: it reads again the profiles only."""
    from django.core.cache import cache
    from django.utils import timezone

    from twinning.matchmaking import queries
    from twinning.matchmaking.models import SeekingProfile

    other = SeekingProfile.objects.exclude(community=seeker).order_by("?").first()

    def before() -> None:
        SeekingProfile.objects.filter(pk=other.pk).update(updated_at=timezone.now())
        cache.delete(queries._shared_key(seeker.pk, queries.SUGGESTIONS_LIMIT))

    return before


def cold_process(seeker):
    """A process that has read nothing of the registry yet (just started): nothing in its
    memo nor its kept reads, nothing in the shared cache for this version and seeker."""
    from django.core.cache import cache

    from twinning.matchmaking import queries

    def before() -> None:
        queries._memo = None
        queries._reads = queries._Reads()
        cache.delete(queries._shared_key(seeker.pk, queries.SUGGESTIONS_LIMIT))

    return before


def main() -> None:
    setup_django()
    rng = random.Random(11)
    client = staff_client()
    small_seeker = make_registry("s", 50, 30, rng)
    few = counts(client, small_seeker)
    small_request = make_expertise("s", 50, 30, rng)
    few.update(page_queries(client, expertise_pages(small_request)))
    small_committee, small_member = committee_client("s")
    small_own = committee_request("s", small_member, small_seeker, rng)
    few.update(
        page_queries(small_committee, committee_pages(small_member, small_seeker, small_own))
    )

    section("The expertise exchange at 1x: 50 offers, 30 open requests")
    base, base_cpu = p50(client, "/bench/baseline/", 60)
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    label = "baseline (bare view, 20 rows)"
    print(f"  {label:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    expertise_timings(client, small_request, base, base_cpu)

    seeker = full_registry(rng)

    section("Pages at the full registry (in-process, same stack as baseline)")
    base, base_cpu = p50(client, "/bench/baseline/", 60)
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    label = "baseline (bare view, 20 rows)"
    print(f"  {label:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    page_timings(client, pages(seeker), base, base_cpu)
    path = pages(seeker)[SUGGESTIONS]
    warmed = {"the same, first view after a change warmed by its task": path}
    page_timings(client, warmed, base, base_cpu, before=changed_and_warmed(seeker))
    built = {"the same, first view after a change, built in the view": path}
    page_timings(client, built, base, base_cpu, before=changed_not_warmed(seeker))
    cold = {"the same, built in a process that read nothing yet": path}
    page_timings(client, cold, base, base_cpu, before=cold_process(seeker))

    big_request = make_expertise("b", 500, 300, rng)
    big_committee, big_member = committee_client("b")
    big_own = committee_request("b", big_member, seeker, rng)
    section("The expertise exchange at 10x: 550 offers, 330 open requests (both registries)")
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    print(f"  {BASE_LABEL:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    expertise_timings(client, big_request, base, base_cpu)

    section("A committee's own pages at the full registry (its membership checked)")
    print(f"  {'page':<52} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    print(f"  {BASE_LABEL:<52} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
    page_timings(big_committee, committee_pages(big_member, seeker, big_own), base, base_cpu)

    section("SQL queries per page at a tenth of the registry and at the full one (goal: same)")
    many = counts(client, seeker)
    many.update(page_queries(client, expertise_pages(big_request)))
    many.update(page_queries(big_committee, committee_pages(big_member, seeker, big_own)))
    print(f"  {'page':<52} {'1x':>6} {'10x':>7}")
    for label in few:
        print(f"  {label:<52} {few[label]:>6} {many[label]:>7}")


if __name__ == "__main__":
    main()
