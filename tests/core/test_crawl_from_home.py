"""UI-n: every page a role may use is reachable by links from that role's home.

For each role, a crawler starts at the role's home and follows links only (`<a href>`, same
origin, GET), as a person clicking would. The role's pages come from the URL resolver: every
route, through the C1 matrix's paths (tests/core/test_route_matrix.py), filled with the
objects of the matrix's world, which the role owns (Springfield's member for its committee
admin, the student's own entry, the judge's own assignment) or, for staff, may manage. A route
that answers 200 to the role is one of its pages, and the test fails on any such page that
the crawl did not reach, unless it is listed below with the reason it is not a link."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.conftest import _client_for, verified
from tests.core.test_route_matrix import MATRIX, world  # noqa: F401 - `world` is a fixture
from tests.factories import UserFactory
from tests.showcase.conftest import guardian_session
from twinning.review.models import Round
from twinning.review.services import add_reviewer, assign_reviews, change_round_state
from twinning.showcase.models import Entry
from twinning.youth.models import Consent

pytestmark = pytest.mark.django_db

# Routes that are not reached by a link, whoever asks, and why.
NOT_LINKS = {
    # Machines and scripts, not people: the health check, the API's JSON (its docs page is
    # linked), the JSON that pages fetch from scripts, files a page embeds.
    "core:healthz": "load balancers ask it",
    "api:*": "the API's JSON answers machine clients (its documentation page is linked)",
    "network:map_data": "the map page's script fetches it",
    "network:portal_community_search": "the partner picker's script fetches it",
    "network:staff_community_search": "the community picker's script fetches it",
    "showcase:community_search": "the registration form's script fetches it",
    "favicon": "the browser asks for it (<link rel=icon>)",
    "showcase:entry_media": "an image shown inside the entry's page (<img>)",
    "showcase:exhibit_media": "an image shown inside the exhibit's pages (<img>)",
    "showcase:judging_media": "an image shown inside the judge's and staff's pages (<img>)",
    "activities:portal_photo_file": "an image shown inside the activity's page (<img>)",
    "activities:staff_photo_file": "an image shown inside the activity's page (<img>)",
    "events:speaker_photo": "a speaker's photo shown inside the event's pages (<img>)",
    "awards:attachment": "a nomination's photo shown inside its page (<img>; PDFs are links)",
    "awards:winner_photo": "a winner's photo shown inside the winner's page (<img>)",
    "relief:photo_file": "an appeal's photo shown inside its page (<img>)",
    "events:agenda_ics": "a person's calendar feed: calendar apps subscribe to it",
    # Reached from an e-mail: single-use or signed links, and where they lead.
    "accounts:password_reset_confirm": "the e-mailed password reset link",
    "accounts:verify_email": "the e-mailed confirmation link of a sign-up",
    "accounts:verify_email_form": "where the e-mailed confirmation link leads",
    "showcase:consent_open": "the e-mailed consent link",
    "showcase:consent_form": "where the e-mailed consent link leads",
    "showcase:guardian_link": "the e-mailed manage link of a guardian",
    "members:invitation_open": "the e-mailed co-admin invitation",
    "members:invitation_accept": "where the e-mailed co-admin invitation leads",
    "review:invitation_open": "the e-mailed judge invitation",
    "review:invitation_accept": "where the e-mailed judge invitation leads",
    "outbox:unsubscribe": "the unsubscribe link in e-mails",
    "relief:partner_link": "the e-mailed single-use link of a partner city's contact",
    "relief:receipt_link": "the e-mailed single-use link to a donor's receipt",
    "events:attendee_details": "the e-mailed details link of a delegation's attendee",
    "events:waiting_list_offer": "the e-mailed waiting-list offer",
    "grants:sign_link": "the e-mailed signature link of a partner without an account",
    # Where a form or another site sends the visitor, not a link.
    "members:portal_invoice_paid": "the payment provider sends the payer back here",
    "members:portal_invoice_pay_cancelled": "the payment provider sends the payer back here",
    "accounts:signup_sent": "shown after the sign-up form is sent",
    "accounts:password_reset_done": "shown after the reset form is sent",
    "accounts:password_reset_complete": "shown after a new password is set",
    "accounts:reauth": "where a page of special-category data sends an old session (B12)",
    # Signed-out pages: a signed-in person has no use for them (their links show signed out).
    "accounts:login": "signing in, linked in the header for signed-out visitors",
    "accounts:signup": "signing up, linked in the header for signed-out visitors",
    "accounts:password_reset": "linked from the sign-in page",
}

# Pages that answer every signed-in person but belong to one role: to the others they explain
# how to get it (and the pages that offer the role link there).
ROLE_PAGES = {
    "network:portal_home": {"committee_admin"},
    "showcase:my_entries": {"student"},
    "showcase:my_certificates": {"student", "guardian"},
    "review:queue": {"judge"},
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _crawl(client: Client, home: str, limit: int = 1500) -> set[str]:
    """Paths reached from `home` by following same-origin links with GET (query strings
    are followed once per path: a filter or a page number leads to the same route)."""
    seen: set[str] = set()
    queue = deque([home])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        if path.startswith("/admin/"):
            continue  # the back office is Django's admin, with its own tests
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append(urlsplit(response["Location"]).path)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(urljoin(f"http://testserver{path}", href))
            same_origin = parts.scheme in ("http", "https") and parts.netloc == "testserver"
            if same_origin and parts.path not in seen:
                queue.append(parts.path)
    return seen


def _not_a_link(name: str) -> bool:
    if name == "api:openapi-view":
        return False  # the API's documentation is a page for people, linked in the footer
    return name in NOT_LINKS or any(
        key.endswith("*") and name.startswith(key[:-1]) for key in NOT_LINKS
    )


def _pages_of(client: Client, role: str, world: dict) -> dict[str, str]:  # noqa: F811
    """{route name: path} of the routes that answer this role 200 with the world's objects."""
    pages = {}
    for name, (template, _expected) in MATRIX.items():
        if _not_a_link(name) or (name in ROLE_PAGES and role not in ROLE_PAGES[name]):
            continue
        path = template.format(**world)
        if path.startswith("/admin/"):
            continue
        if client.get(path).status_code == 200:
            pages[name] = urlsplit(path).path
    return pages


def _judge(world: dict) -> Client:  # noqa: F811
    """A judge with a live assignment in the matrix's national round."""
    staff = verified(UserFactory(email="crawl-staff@example.org", is_staff=True))
    user = UserFactory(email="crawl-judge@example.org")
    national = Round.objects.get(pk=world["review_round"])
    if national.state != Round.State.OPEN:
        change_round_state(round=national, state=Round.State.OPEN, by=staff)
    national.reviews_per_item = 1
    national.save(update_fields=["reviews_per_item"])
    add_reviewer(round=national, user=user, by=staff)
    assign_reviews(round=national, by=staff)
    return _client_for(user)


def _role(request, role: str, world: dict) -> tuple[Client, str]:  # noqa: F811
    entry = Entry.objects.select_related("student__user").get(pk=world["entry"])
    if role == "student":
        return _client_for(entry.student.user), "/home/"
    if role == "guardian":
        consent = Consent.objects.filter(person=entry.student).first()
        return guardian_session(consent), "/showcase/guardian/"
    if role == "judge":
        return _judge(world), "/home/"
    return request.getfixturevalue(role), "/home/"


@pytest.mark.parametrize(
    "role", ["public", "committee_admin", "staff", "judge", "student", "guardian"]
)
def test_every_page_of_a_role_is_reachable_by_links_from_its_home(request, world, role):  # noqa: F811
    client, home = _role(request, role, world)
    assert client.get(home).status_code == 200

    reached = _crawl(client, home)
    pages = _pages_of(client, role, world)

    unreachable = {name: path for name, path in pages.items() if path not in reached}
    assert unreachable == {}
    assert len(pages) > 10  # the role has pages: the world is what the test thinks it is


def test_the_exclusions_name_routes_that_exist():
    names = set(MATRIX)
    stale = [
        key
        for key in [*NOT_LINKS, *ROLE_PAGES]
        if not (key in names or (key.endswith("*") and any(n.startswith(key[:-1]) for n in names)))
    ]

    assert stale == []
