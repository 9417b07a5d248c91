"""Canary scan of the summit's restricted details (RELIABILITY 2.1 canaries, P-07, C6): the
emergency contacts, medical notes, allergies and dietary needs of a student hold distinctive
strings; every events page (each URL pattern of the `events` namespace, filled with the
summit's objects, and every page linked from those and from the role's home), its CSV, XLSX
and PDF exports included, is requested as each role. The strings never appear except for
the roles allowed to read them, in the forms the RELIABILITY battery searches (plain, HTML-
and URL-encoded, JSON-escaped)."""

import datetime
import html
import io
import json
import re
import zipfile
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.accounts.welfare import reauthenticated, welfare_staff
from tests.conftest import _client_for
from tests.events.summit_helpers import (
    CANARIES,
    CANARY_ALLERGY,
    CANARY_CONTACT,
    CANARY_DIET,
    CANARY_MEDICAL,
    SummitWorld,
)
from tests.factories import MemberFactory, UserFactory
from tests.matrix import all_routes
from twinning.core.authz import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit_world(springfield_member, committee_admin_user):
    return SummitWorld(springfield_member, committee_admin_user)


LIMIT = 400  # pages per role, far above what the events app has
SKIP = ("/accounts/logout", "/admin/", "/i18n/", "/static/", "/media/")


def _variants(canary: str) -> set[bytes]:
    return {
        canary.encode(),
        html.escape(canary).encode(),
        quote(canary).encode(),
        json.dumps(canary)[1:-1].encode(),
    }


def _judge():
    """An active reviewer of an open round (a judge, in the showcase's words)."""
    from tests.review.reviewable import Study
    from twinning.review.services import add_reviewer, create_round

    now = timezone.now()
    round_ = create_round(
        name="Canary round",
        model=Study,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        by=SYSTEM,
    )
    user = UserFactory(email="judge@example.org")
    add_reviewer(round=round_, user=user, by=SYSTEM)
    return user


def _event_paths(world) -> list[str]:
    """One or more paths per events route, filled with the world's objects."""
    values = {
        "slug": [world.summit.slug, world.conference.slug],
        "attendee": [world.student.pk, world.other_student.pk],
        "chaperone": [world.chaperone.pk, world.nurse.pk],
        "kind": ["diplomacy", "service"],
    }
    paths = []
    for route in all_routes():
        if not route.name.startswith("events:"):
            continue
        params = re.findall(r"\(\?P<(\w+)>", route.regex)
        choices = [
            values.get(p, [world.student.pk, world.order.pk, world.order.code]) for p in params
        ]
        for i in range(max((len(c) for c in choices), default=1)):
            kwargs = {p: c[min(i, len(c) - 1)] for p, c in zip(params, choices, strict=True)}
            try:
                paths.append(reverse(route.name, kwargs=kwargs))
            except NoReverseMatch:
                paths.append(route.sample_path())
    return sorted(set(paths))


def _crawl(client: Client, start: list[str]) -> dict[str, bytes]:
    """GET every start path and every same-site page they link to (breadth first)."""
    seen: dict[str, bytes] = {}
    queue = ["/home/", *start]
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[path] = body + _inside(body)
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(rb'href="([^"#]+)"', body):
                link = html.unescape(href.decode())
                parts = urlsplit(link)
                if not parts.netloc and link.startswith("/"):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def _inside(body: bytes) -> bytes:
    """The text a byte search cannot see: a PDF's (fonts are embedded as subsets, streams
    compressed) and the members of an XLSX (a zip)."""
    if body.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(body))
        return "".join(page.extract_text() for page in reader.pages).encode()
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return b""


def _leaks(pages: dict[str, bytes], canaries=CANARIES) -> dict[str, list[str]]:
    found = {}
    for path, body in pages.items():
        hits = [c for c in canaries if any(v in body for v in _variants(c))]
        if hits:
            found[path] = hits
    return found


@pytest.fixture
def refused_roles(summit_world):
    other_admin = UserFactory(email="admin@elsewhere.example")
    MemberFactory(name="Elsewhere").admins.add(other_admin)
    unchecked = summit_world.unchecked_user
    return {
        "delegation_leader": _client_for(summit_world.leader),
        "the_student_themself": _client_for(summit_world.student_user),
        "other_student": _client_for(UserFactory(email="bea@example.org")),
        "committee_admin_of_another_committee": _client_for(other_admin),
        "judge": _client_for(_judge()),
        "stranger": _client_for(UserFactory(email="stranger@example.org")),
        "nurse_without_background_check": _client_for(unchecked),
        "staff_without_second_factor": _client_for(
            UserFactory(email="pw-only@example.org", is_staff=True)
        ),
        # P-07: verified staff read them only with the staff welfare capability ...
        "verified_staff_without_welfare": reauthenticated(
            _client_for(UserFactory(email="no-welfare@example.org", is_staff=True), verified=True)
        ),
        # ... and only after a fresh re-authentication (B12).
        "welfare_staff_without_reauthentication": _client_for(
            welfare_staff(email="not-fresh@example.org"), verified=True
        ),
        "anonymous": Client(),
    }


def test_the_paths_cover_every_events_route(summit_world):
    paths = _event_paths(summit_world)
    names = {r.name for r in all_routes() if r.name.startswith("events:")}
    assert len(paths) >= len(names) > 0


def test_no_refused_role_ever_sees_a_restricted_detail(summit_world, refused_roles):
    # The second student is in the same delegation and has an account too.
    summit_world.other_student.user = UserFactory(email="second@example.org")
    summit_world.other_student.save()
    refused_roles["student_of_the_same_delegation"] = _client_for(summit_world.other_student.user)
    start = _event_paths(summit_world)
    leaks = {}
    for role, client in refused_roles.items():
        pages = _crawl(client, start)
        assert len(pages) >= len(start)
        if found := _leaks(pages):
            leaks[role] = found
    assert leaks == {}


def test_a_chaperone_sees_only_emergency_contacts_and_allergies(summit_world):
    pages = _crawl(_client_for(summit_world.chaperone_user), _event_paths(summit_world))
    seen = {c for hits in _leaks(pages).values() for c in hits}
    assert seen == {CANARY_CONTACT, CANARY_ALLERGY}
    assert all("/details/" in path for path in _leaks(pages))


def test_the_nurse_sees_every_restricted_detail_on_the_details_page_only(summit_world):
    pages = _crawl(_client_for(summit_world.nurse_user), _event_paths(summit_world))
    leaks = _leaks(pages)
    assert {c for hits in leaks.values() for c in hits} == {
        CANARY_CONTACT,
        CANARY_MEDICAL,
        CANARY_ALLERGY,
        CANARY_DIET,
    }
    assert all("/details/" in path for path in leaks)


def test_welfare_staff_see_them_on_the_details_pages_only_never_in_lists_or_exports(
    summit_world,
):
    client = reauthenticated(_client_for(welfare_staff(), verified=True))
    pages = _crawl(client, _event_paths(summit_world))
    leaks = _leaks(pages)
    assert set(CANARIES) <= {c for hits in leaks.values() for c in hits}
    assert all("/details/" in path for path in leaks), sorted(leaks)
    exports = [p for p in pages if p.endswith((".csv", ".xlsx", ".pdf"))]
    assert exports  # the room and team lists at least
    assert not any(p in leaks for p in exports)


def test_the_scan_reads_inside_the_pdf_lists(summit_world):
    """The scan's own check: a name placed in a room is found inside the room list's PDF."""
    from twinning.events.models import ResidenceRoom, RoomAssignment

    room = ResidenceRoom.objects.create(
        event=summit_world.summit, name="Oak", beds=2, gender="female"
    )
    RoomAssignment.objects.create(room=room, attendee=summit_world.student)
    pdf = reverse("events:summit_room_list_pdf", kwargs={"slug": summit_world.summit.slug})
    pages = _crawl(_client_for(summit_world.chaperone_user), [pdf])
    assert b"Alice" in pages[pdf] and not pages[pdf].startswith(b"Alice")


def _bulk_exports(world) -> list[str]:
    """Every bulk export of the summit and its conference: the registrations as CSV and XLSX
    (staff), the room and team lists as PDF."""
    paths = [
        reverse("events:staff_registrations_export", kwargs={"slug": slug, "fmt": fmt})
        for slug in (world.summit.slug, world.conference.slug)
        for fmt in ("csv", "xlsx")
    ]
    paths += [
        reverse(name, kwargs={"slug": world.summit.slug})
        for name in ("events:summit_room_list_pdf", "events:summit_team_list_pdf")
    ]
    return paths


def test_no_bulk_export_holds_a_restricted_detail_even_for_welfare_staff(summit_world):
    """P-07: never in a bulk CSV/XLSX export, whoever asks (the most privileged reader
    included, freshly re-authenticated)."""
    from tests.events.summit_helpers import add_student, canary_details

    # A student registered on the conference itself (the summit shares its registration),
    # whose details hold the canaries too: the conference's export lists them.
    canary_details(add_student(summit_world.conference, name="Carla"))
    client = reauthenticated(_client_for(welfare_staff(), verified=True))
    bodies = {}
    for path in _bulk_exports(summit_world):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[path] = body + _inside(body)
    # The scan's own check: the exports do list the student whose details are canaries.
    conference = [b for p, b in bodies.items() if summit_world.conference.slug in p]
    assert len(conference) == 2 and all(b"Carla" in body for body in conference)
    assert _leaks(bodies) == {}


def test_no_e_mail_holds_a_restricted_detail(summit_world, mailoutbox):
    """P-07: never sent by e-mail. The application (with health details typed in), the
    guardian's link and its resending, the consent, the approval, and the summit pages read
    by everyone who may: then every e-mail queued or sent is scanned."""
    from tests.events.summit_apply_helpers import apply, grant, open_summit, student
    from twinning.events.services.moderation import approve_attendee
    from twinning.events.services.summit_apply import resend_guardian_link
    from twinning.outbox.models import OutboxMessage

    summit = open_summit(slug="mail-summit")
    applicant = student("applicant@example.org")
    application = apply(summit, applicant)
    resend_guardian_link(application=application, by=applicant)
    grant(application)
    approve_attendee(attendee=application.attendee, message="Welcome", by=SYSTEM)
    readers = [
        reauthenticated(_client_for(welfare_staff(), verified=True)),
        _client_for(summit_world.nurse_user),
        _client_for(summit_world.chaperone_user),
    ]
    for client in readers:
        for path in _event_paths(summit_world):
            client.get(path)
    queued = OutboxMessage.objects.all()
    assert queued.exists()  # the scan's own check: there is mail to scan
    texts = {f"outbox:{m.pk}": f"{m.to} {m.subject} {m.body}".encode() for m in queued}
    for n, message in enumerate(mailoutbox):
        parts = [message.subject, message.body]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
        parts += [str(attachment) for attachment in message.attachments]
        texts[f"mail:{n}"] = " ".join(parts).encode()
    assert _leaks(texts) == {}
