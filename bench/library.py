"""Benchmark of the library's search (`.venv/bin/python bench/library.py`): figures printed
beside a baseline measured in the same run, never asserted.

1. A library of 5,000 resources in English, French, Spanish and German (a tenth of them
   links, the rest documents whose extracted text is 300 words), topics and access levels
   mixed. Timed: `search()` itself for a word (stemmed), a word begun (prefix), two words, a
   word with a language and a topic, and an empty query.
2. Pages (in-process, the same Django stack as the bare baseline view of bench/urls.py): the
   library page without a query and with a word, a word begun and facets, for staff (who may
   open everything), and for the public; staff's list of resources and download statistics;
   p50 beside the baseline (goal: within 10x) requested by the same client (staff signed in,
   the public anonymously), wall time and this process's CPU time (the steadier figure on a
   machine shared with other work).
   What a query finds is cached until the library changes (search._found): each search is
   timed twice, asked again on an unchanged library, and as the first search after a change
   (a resource saved before each request, untimed), which reads and ranks afresh, as a
   query nobody asked since the last change does.
3. SQL queries of those pages with 500 resources and with 5,000 (goal: the same).

Resources, versions and search entries are made in bulk (setting the stage, not the subject)
with the library's own indexing (`search.entry_fields`, the FTS5 rows as `index_resource`
writes them). Its own SQLite database under var/bench/library; nothing else is touched."""

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

RUN_DIR = BENCH_DIR / "library"
SMALL, LARGE = 500, 5_000
WORDS = {
    "en": [
        "partnership",
        "twinning",
        "exchange",
        "festival",
        "fundraising",
        "council",
        "mayor",
        "delegation",
        "youth",
        "students",
        "business",
        "chamber",
        "export",
        "water",
        "utility",
        "engineers",
        "relief",
        "donors",
        "committee",
        "volunteers",
        "culture",
        "artists",
        "residence",
        "budget",
        "sponsors",
        "grants",
        "municipal",
        "training",
    ],
    "fr": [
        "jumelage",
        "échange",
        "festival",
        "collecte",
        "conseil",
        "maire",
        "délégation",
        "jeunesse",
        "étudiants",
        "entreprises",
        "chambre",
        "exportation",
        "eau",
        "assainissement",
        "ingénieurs",
        "secours",
        "donateurs",
        "comité",
        "bénévoles",
        "culture",
        "artistes",
        "résidence",
        "budget",
        "mécènes",
        "subventions",
        "municipal",
        "formation",
    ],
    "es": [
        "hermanamiento",
        "intercambio",
        "festival",
        "recaudación",
        "concejo",
        "alcalde",
        "delegación",
        "juventud",
        "estudiantes",
        "empresas",
        "cámara",
        "exportación",
        "agua",
        "ingenieros",
        "ayuda",
        "donantes",
        "comité",
        "voluntarios",
        "cultura",
        "artistas",
        "residencia",
        "presupuesto",
        "patrocinadores",
        "subvenciones",
    ],
    "de": [
        "Städtepartnerschaft",
        "Austausch",
        "Fest",
        "Spenden",
        "Gemeinderat",
        "Bürgermeister",
        "Delegation",
        "Jugend",
        "Schüler",
        "Unternehmen",
        "Kammer",
        "Export",
        "Wasser",
        "Stadtwerke",
        "Ingenieure",
        "Hilfe",
        "Verein",
        "Ehrenamtliche",
        "Kultur",
        "Künstler",
        "Haushalt",
        "Sponsoren",
        "Zuschüsse",
        "kommunal",
        "Fortbildung",
    ],
}
FILLER = [
    "the",
    "of",
    "and",
    "a",
    "in",
    "to",
    "for",
    "with",
    "on",
    "by",
    "at",
    "from",
    "this",
    "that",
]


def setup_django() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(env_for(RUN_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _text(rng: random.Random, language: str, words: int) -> str:
    vocabulary = WORDS[language]
    return " ".join(
        rng.choice(vocabulary) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(words)
    )


def make_library(tag: str, count: int, rng: random.Random) -> None:
    """`count` resources (bulk), with their versions, search entries and FTS5 rows."""
    from django.db import connection

    from twinning.library.models import Resource, SearchEntry, Topic, Version
    from twinning.library.search import entry_fields, write_fts_row

    topics = list(Topic.objects.all())
    languages = list(WORDS)
    levels = ["public", "members", "members", "staff"]
    resources = Resource.objects.bulk_create(
        [
            Resource(
                title=f"{_text(rng, language, 4).capitalize()} {tag} {i}",
                slug=f"{tag}-{i}",
                summary=_text(rng, language, 25),
                kind="link" if i % 10 == 0 else "document",
                access=levels[i % len(levels)],
                language=language,
                partner="Chamber of Commerce" if i % 7 == 0 else "",
                featured=i % 250 == 0,
            )
            for i, language in ((i, languages[i % len(languages)]) for i in range(count))
        ],
        batch_size=1000,
    )
    through = Resource.topics.through
    through.objects.bulk_create(
        [
            through(resource_id=r.pk, topic_id=t.pk)
            for r in resources
            for t in rng.sample(topics, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    texts = {r.pk: "" if r.kind == "link" else _text(rng, r.language, 300) for r in resources}
    Version.objects.bulk_create(
        [
            Version(
                resource=r,
                number=1,
                change_note="First version",
                url="https://example.org/" + r.slug if r.kind == "link" else "",
                file="" if r.kind == "link" else f"library/bench/{r.slug}.pdf",
                mime="" if r.kind == "link" else "application/pdf",
                size=0 if r.kind == "link" else 50_000,
                text=texts[r.pk],
                text_state="none" if r.kind == "link" else "done",
            )
            for r in resources
        ],
        batch_size=1000,
    )
    entries = []
    with connection.cursor() as cursor:
        for resource in Resource.objects.filter(pk__in=[r.pk for r in resources]).prefetch_related(
            "topics"
        ):
            fields = entry_fields(resource, texts[resource.pk])
            entries.append(SearchEntry(resource=resource, **fields))
            write_fts_row(cursor, resource.pk, fields)
    SearchEntry.objects.bulk_create(entries, batch_size=1000)


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
    return client, staff


def timed(label: str, function, runs: int = 15, before=None) -> float:
    function()
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    value = statistics.median(times) * 1000
    print(f"  {label:<78} {value:>8.1f} ms")
    return value


p50 = p50_in_process


STAFF_PAGES = {
    "library page, no query (featured, first 100)": "/library/",
    "library page ?q=partnership (stemmed word)": "/library/?q=partnership",
    "library page ?q=twin (word begun)": "/library/?q=twin",
    "library page ?q=youth exchange&language=en&topic=youth": (
        "/library/?q=youth+exchange&language=en&topic=youth"
    ),
    "staff: resources": "/staff/library/",
    "staff: downloads per resource and member": "/staff/library/downloads/",
}
PUBLIC_PAGES = {
    "public: library page ?q=festival": "/library/?q=festival",
}
# Pages timed again as the first request after a change (read and ranked afresh).
AFRESH = {
    "library page ?q=partnership (stemmed word)",
    "library page ?q=youth exchange&language=en&topic=youth",
    "public: library page ?q=festival",
}


def a_change() -> None:
    """A resource saved (its `updated_at`, as every service's save sets it): the library's
    fingerprint changes, so the next search reads afresh."""
    from django.utils import timezone

    from twinning.library.models import Resource

    first = Resource.objects.order_by("pk").values_list("pk", flat=True)[0]
    Resource.objects.filter(pk=first).update(updated_at=timezone.now())


def counts(staff, public) -> dict[str, int]:
    return {**page_queries(staff, STAFF_PAGES), **page_queries(public, PUBLIC_PAGES)}


def main() -> None:
    setup_django()
    from django.test import Client

    from twinning.library.search import search

    rng = random.Random(5)
    staff, staff_user = staff_client()
    public = Client()
    make_library("s", SMALL, rng)
    few = counts(staff, public)

    section(f"A library of {LARGE:,} resources in four languages (300 words of text each)")
    started = time.perf_counter()
    make_library("b", LARGE - SMALL, rng)
    print(f"  set up in {time.perf_counter() - started:.1f} s")
    from django.contrib.auth.models import AnonymousUser

    from twinning.library.access import Access

    everything = Access(is_staff=True)
    anonymous = AnonymousUser()
    for label, query, options in (
        ("search('partnership')", "partnership", {}),
        ("search('twin'), a word begun", "twin", {}),
        ("search('youth exchange'), two words", "youth exchange", {}),
        ("search('jugend', language='de', topics=['youth'])", "jugend", {"language": "de"}),
        ("search(''), everything, featured first", "", {}),
    ):
        found = len(search(query, user=staff_user, access=everything, **options))

        def once(query=query, options=options):
            return search(query, user=staff_user, access=everything, **options)

        timed(f"{label} [{found}], asked again", once)
        timed(f"{label}, first after a change", once, before=a_change)
    timed(
        "search('festival') for the public, asked again", lambda: search("festival", user=anonymous)
    )
    timed(
        "search('festival') for the public, first after a change",
        lambda: search("festival", user=anonymous),
        before=a_change,
    )

    section(f"Pages at {LARGE:,} resources (in-process, same stack as baseline)")
    # Each page beside the bare view requested by the same client: staff's pages beside it
    # signed in (the session and user lookups every signed-in request pays), the public's
    # beside it requested anonymously.
    print(f"  {'page':<78} {'p50 ms':>8} {'x base':>7} {'cpu ms':>7} {'x base':>7}")
    for kind, pages, client in (("staff", STAFF_PAGES, staff), ("anonymous", PUBLIC_PAGES, public)):
        base, base_cpu = p50(client, "/bench/baseline/", 60)
        label = f"baseline (bare view, 20 rows), {kind}"
        print(f"  {label:<78} {base:>8.1f} {1.0:>7.1f} {base_cpu:>7.1f} {1.0:>7.1f}")
        for label, path in pages.items():
            for shown, before in ((label, None), (label + ", first after a change", a_change)):
                if before and label not in AFRESH:
                    continue
                value, cpu = p50(client, path, 15, before=before)
                print(
                    f"  {shown:<78} {value:>8.1f} {value / base:>7.1f} {cpu:>7.1f} "
                    f"{cpu / base_cpu:>7.1f}"
                )

    section(f"SQL queries per page with {SMALL:,} and with {LARGE:,} resources (goal: the same)")
    many = counts(staff, public)
    print(f"  {'page':<78} {SMALL:>6,} {LARGE:>7,}")
    for label in few:
        print(f"  {label:<78} {few[label]:>6} {many[label]:>7}")


if __name__ == "__main__":
    main()
