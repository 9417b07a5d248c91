"""The demo's showcase students and their entries, made through the showcase's services:
students from member communities in good standing and their sister cities, guardian consent
answered through the consent link as a guardian would (most consent to both scopes, some to
participation only, a few never answer), and entries with generated works: images (Pillow
gradients and shapes), poems and prose (from word lists) and short music (soundfile sines)."""

import datetime
import io
import math
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from twinning.core.dates import association_today
from twinning.network.models import Community, Member, Partnership
from twinning.showcase.eligibility import community_eligibility
from twinning.showcase.models import Category, Edition, Entry, EntryFile
from twinning.showcase.services import (
    answer_consent,
    attach_work,
    create_entry,
    make_derivatives,
    register_student,
    submit_entry,
    update_edition,
)
from twinning.youth.models import Person

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kaja",
    "Liam",
    "Maja",
    "Nils",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomás",
    "Uma",
    "Vera",
    "Wen",
    "Ximena",
    "Yara",
    "Zoltan",
    "Aiko",
    "Bruno",
    "Carmen",
    "Diego",
    "Emma",
    "Femi",
    "Gabriel",
    "Hana",
    "Ivan",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Noor",
    "Oskar",
    "Paula",
    "Rafael",
    "Sofia",
    "Theo",
    "Valentina",
]
LAST_NAMES = [
    "Abara",
    "Berg",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gómez",
    "Hansen",
    "Ito",
    "Jovanović",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulloa",
    "Varga",
    "Wójcik",
    "Yilmaz",
    "Zhou",
    "Andersen",
    "Bianchi",
    "Costa",
    "Dimitrova",
    "Novak",
    "Horváth",
    "Kim",
    "Silva",
    "Müller",
    "Haddad",
    "Mensah",
]
SCHOOLS = ("Riverside High", "Lycée Victor Hugo", "Central Academy", "Gymnasium am Park", "")
WORDS = [
    "bridge",
    "river",
    "light",
    "morning",
    "stone",
    "window",
    "harbour",
    "lantern",
    "paper",
    "wind",
    "garden",
    "bell",
    "street",
    "winter",
    "orchard",
    "letter",
    "swallow",
    "market",
    "kite",
    "shadow",
    "voice",
    "tide",
    "hill",
    "road",
    "song",
    "thread",
    "map",
    "city",
    "friend",
    "distant",
    "open",
    "quiet",
    "golden",
    "blue",
    "evening",
    "across",
    "between",
    "together",
    "slowly",
]
TITLES = (
    "Across the River",
    "Two Towns, One Song",
    "Paper Lanterns",
    "The Long Bridge",
    "Letters Home",
    "Harbour at Dawn",
    "Threads",
    "Where the Roads Meet",
    "Open Windows",
    "Neighbours",
    "The Swallow's Map",
    "Evening Market",
)


def _eligible_communities(today: datetime.date) -> list[Community]:
    """Member communities in good standing and their sister cities."""
    candidates: dict[int, Community] = {}
    for member in Member.objects.prefetch_related("communities"):
        for community in member.communities.all():
            candidates[community.pk] = community
    ids = list(candidates)
    for partnership in (
        Partnership.objects.current()
        .filter(Q(community_a__in=ids) | Q(community_b__in=ids))
        .select_related("community_a", "community_b")
    ):
        for community in (partnership.community_a, partnership.community_b):
            candidates.setdefault(community.pk, community)
    ordered = sorted(candidates.values(), key=lambda c: c.pk)[:400]
    return [c for c in ordered if community_eligibility(c, today)[0]]


def _image(rng: random.Random, width: int = 480, height: int = 360) -> bytes:
    from PIL import Image, ImageDraw

    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(rng.randint(3, 9)):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(10, 90)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _melody(rng: random.Random, seconds: float = 3.0, rate: int = 16_000) -> bytes:
    import numpy as np
    import soundfile

    scale = [261.63, 293.66, 329.63, 349.23, 392.00, 440.00, 493.88, 523.25]
    note_length = 0.25
    samples = []
    for _ in range(int(seconds / note_length)):
        t = np.arange(int(rate * note_length)) / rate
        envelope = np.minimum(1.0, 8 * (note_length - t) / note_length)
        samples.append(0.3 * envelope * np.sin(2 * math.pi * rng.choice(scale) * t))
    out = io.BytesIO()
    soundfile.write(out, np.concatenate(samples), rate, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _poem(rng: random.Random) -> str:
    stanzas = []
    for _ in range(rng.randint(2, 4)):
        lines = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
            for _ in range(4)
        ]
        stanzas.append("\n".join(lines))
    return "\n\n".join(stanzas)


def _prose(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _birth_date(rng: random.Random, edition: Edition) -> datetime.date:
    age = rng.choice([13, 14, 15, 15, 16, 16, 17, 17, 18])
    cutoff = edition.cutoff_date
    birthday = cutoff.replace(year=cutoff.year - age, day=min(cutoff.day, 28))
    return birthday - datetime.timedelta(days=rng.randrange(0, 330))  # `age` on the cut-off


def _student(rng: random.Random, edition: Edition, community: Community, n: int) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"student{n}.{edition.pk}@demo.example.org"
    existing = Person.objects.filter(user__email=email).first()
    if existing is not None:
        return existing
    student = register_student(
        edition=edition,
        first_name=first,
        last_name=last,
        date_of_birth=_birth_date(rng, edition),
        community=community,
        school=rng.choice(SCHOOLS),
        guardian_email=f"guardian{n}.{edition.pk}@demo.example.org",
        publication_consent=rng.random() < 0.85,
        email=email,
        password="",  # no password: a demo student signs in by a reset link if at all
    )
    request = getattr(student, "consent_request", None)
    answer = rng.random()
    if request is not None and answer < 0.92:  # the rest never answer (pending consent)
        answer_consent(token=request.token, participation=True, publication=answer < 0.82)
    return student


def _work(rng: random.Random, entry: Entry, student: Person) -> None:
    kind = entry.category.work_kind
    if kind == Category.WorkKind.IMAGE:
        upload = SimpleUploadedFile("work.png", _image(rng), content_type="image/png")
    elif kind == Category.WorkKind.AUDIO:
        upload = SimpleUploadedFile("melody.wav", _melody(rng), content_type="audio/wav")
    else:
        return
    attach_work(entry=entry, upload=upload, by=student.user)
    work_file = EntryFile.objects.filter(entry=entry).first()
    if work_file is not None:
        make_derivatives(entry_file=work_file)  # the demo is ready without waiting for a worker


def seed_students_and_entries(*, edition: Edition, count: int, staff: Any) -> int:
    """Create students and entries until the edition has `count` entries (idempotent: a second
    call adds only what is missing). The edition is opened for the seeding if it is not open
    now, and its dates restored afterwards. Returns the number of entries created."""
    existing = Entry.objects.filter(edition=edition).count()
    if existing >= count:
        return 0
    rng = random.Random(f"showcase-{edition.pk}-{existing}")  # noqa: S311 - demo data, not security
    today = association_today()
    communities = _eligible_communities(today)
    if not communities:
        return 0
    dates = (edition.opens_at, edition.closes_at)
    if not edition.is_open():
        now = timezone.now()
        update_edition(
            edition=edition,
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(hours=6),
            by=staff,
        )
    categories = list(edition.categories.all())
    created = 0
    n = Person.objects.count()
    try:
        while existing + created < count:
            n += 1
            student = _student(rng, edition, rng.choice(communities), n)
            for category in rng.sample(categories, k=min(len(categories), rng.choice([1, 1, 2]))):
                if existing + created >= count:
                    break
                text = ""
                if category.work_kind == Category.WorkKind.TEXT:
                    text = _poem(rng) if category.max_lines else _prose(rng)
                entry = create_entry(
                    student=student,
                    category=category,
                    title=rng.choice(TITLES),
                    statement=" ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + ".",
                    text=text,
                    alt_text="Shapes of colour over a soft gradient"
                    if category.work_kind == Category.WorkKind.IMAGE
                    else "",
                    by=student.user,
                )
                _work(rng, entry, student)
                if rng.random() < 0.9:
                    submit_entry(entry=Entry.objects.get(pk=entry.pk), by=student.user)
                created += 1
    finally:
        if (edition.opens_at, edition.closes_at) != dates:
            update_edition(edition=edition, opens_at=dates[0], closes_at=dates[1], by=staff)
    return created
