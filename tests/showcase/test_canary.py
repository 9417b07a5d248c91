"""BLIND-1: 200 entries whose students carry canary names, schools, communities,
e-mail addresses and guardian addresses, with canaries in the uploaded files' names and
metadata (EXIF Artist, ImageDescription, Copyright). Every page, API answer, media file and
e-mail a judge can reach is crawled: no canary may appear in a body, a header (including
Content-Disposition) or media bytes."""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.test import Client
from PIL import Image

from tests.conftest import _client_for
from tests.factories import CommunityFactory, PartnershipFactory
from tests.showcase.conftest import consent_for, make_student
from tests.showcase.judging_helpers import add_judges, close, score_everything, submitted_entry
from twinning.core.media import private_storage
from twinning.network.models import Partnership
from twinning.outbox.models import OutboxMessage
from twinning.review.models import Assignment
from twinning.showcase.models import EntryFile
from twinning.showcase.services import national_round, open_judging
from twinning.youth.models import Person

ENTRIES = 200
JUDGES = 12
CANARY = re.compile(rb"canary", re.IGNORECASE)
LINK = re.compile(r'(?:href|src|action)="([^"#]+)"')
# The crawl follows links within what concerns a judge: the review pages, the media and the
# showcase's pages, the judge's own API and profile. The public registry (directory, map,
# countries) lists every community whatever its entries, so a community's name there links
# it to no entry; it is left out.
FOLLOW = ("/review/", "/judging/", "/showcase/", "/api/me/", "/accounts/profile/")


def canary_jpeg(n: int) -> bytes:
    image = Image.new("RGB", (48, 32), (n % 256, 90, 160))
    exif = Image.Exif()
    exif[0x013B] = f"Canary Artist {n}"  # Artist
    exif[0x010E] = f"Canary description {n}"  # ImageDescription
    exif[0x8298] = f"Canary copyright {n}"  # Copyright
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def canary_edition(edition, springfield, staff_user):
    towns = []
    for n in range(10):
        town = CommunityFactory(name=f"Canarytown {n}", country__code="FR", country__name="France")
        PartnershipFactory(
            community_a=springfield, community_b=town, status=Partnership.Status.ACTIVE
        )
        towns.append(town)
    for n in range(ENTRIES):
        student = make_student(
            edition,
            towns[n % len(towns)],
            first_name=f"Canaryfirst{n}",
            last_name=f"Canarylast{n}",
            school=f"Canary School {n}",
            email=f"canary-student-{n}@example.org",
            guardian_email=f"canary-guardian-{n}@example.net",
        )
        consent_for(student)
        if n % 4 == 3:  # a quarter of the works are poems, typed in
            submitted_entry(edition, student, category="poetry", title=f"Poem {n}")
        else:
            submitted_entry(
                edition,
                student,
                title=f"Photo {n}",
                data=canary_jpeg(n),
                name=f"canary-file-{n}-Canarylast{n}.jpg",
                alt_text=f"A picture, number {n}.",
            )
    close(edition)
    open_judging(edition=edition, by=staff_user)
    national = national_round(edition).round
    judges = add_judges(national, JUDGES, by=staff_user)
    score_everything(national, by=staff_user)
    return judges


def _hits(data: bytes) -> list[str]:
    return [
        data[max(0, m.start() - 40) : m.end() + 40].decode(errors="replace")
        for m in CANARY.finditer(data)
    ]


def crawl(client: Client, start: list[str]) -> tuple[dict[str, list[str]], int]:
    """Follow every same-site link from `start` (GET only); return canary hits per URL."""
    seen, queue, hits = set(), list(start), {}
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith(FOLLOW):
            continue
        seen.add(url)
        response = client.get(url)
        headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found = _hits(headers) + _hits(body)
        if found:
            hits[url] = found
        if response.get("Content-Type", "").startswith("text/html"):
            for link in LINK.findall(body.decode(errors="replace")):
                target = urljoin(url, link.replace("&amp;", "&"))
                parts = urlsplit(target)
                if not parts.netloc or parts.netloc == "testserver":
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return hits, len(seen)


def test_d1_no_canary_reaches_a_judge(canary_edition):
    judges = canary_edition
    api = ["/api/me/members", "/api/me/proposals"]
    total_hits, pages = {}, 0

    for judge in judges[:3]:
        client = _client_for(judge)
        codes = Assignment.objects.for_judge(judge).values_list("item__code", flat=True)
        start = ["/review/", *[f"/review/{code}/" for code in codes], *api]
        hits, seen = crawl(client, start)
        total_hits.update(hits)
        pages += seen
    judge_mail = [
        m.subject + m.body for m in OutboxMessage.objects.filter(to__in=[j.email for j in judges])
    ] + [m.subject + m.body for m in mail.outbox if set(m.to) & {j.email for j in judges}]

    # The scan means something only if the canaries exist where a leak would find them.
    assert Person.objects.filter(last_name__startswith="Canarylast").count() == ENTRIES
    work_file = EntryFile.objects.filter(display_name__icontains="canary").first()
    assert b"Canary Artist" in private_storage.open(work_file.original_name).read()
    assert pages > 50
    assert total_hits == {}
    assert [text for text in judge_mail if CANARY.search(text.encode())] == []
