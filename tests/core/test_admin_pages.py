"""Every URL under /admin/ (the Django admin and the third-party pages registered in it, such as
django_rq's dashboard and stats.json when Redis is configured) is closed to staff who signed in
with a password only (AUTH-8, fail closed) and answers verified staff; no admin
page answers a verified superuser with a 500 (issue 7, section 1)."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.matrix import Snapshot, all_routes, refused, unsafe_request
from twinning.network.models import GazetteerPlace, ImportRun
from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe
from twinning.showcase.models import ErasureRequest


def _admin_paths():
    """One path per admin URL pattern, found by the resolver (new admin pages are walked too)."""
    return sorted(
        {route.sample_path() for route in all_routes() if route.regex.startswith("^admin/")}
    )


def test_the_walk_reaches_every_admin_page_including_third_party_ones():
    paths = _admin_paths()

    assert "/admin/" in paths
    assert "/admin/accounts/user/" in paths
    assert "/admin/login/" in paths
    if apps.is_installed("django_rq"):
        assert "/admin/django_rq/dashboard/stats.json" in {p.rstrip("/") for p in paths}


@pytest.mark.django_db
def test_staff_with_a_password_only_are_refused_every_admin_url_and_change_nothing(
    staff_without_otp,
):
    snapshot = Snapshot()
    answered, changed = {}, {}

    for path in _admin_paths():
        for method in ("GET", "POST"):
            before = snapshot.counts()
            with snapshot.watching():
                if method == "GET":
                    response = staff_without_otp.get(path)
                else:
                    response = unsafe_request(staff_without_otp, method, path)
            if not (response.status_code == 302 and refused(response)):
                answered[f"{method} {path}"] = response.status_code
            if snapshot.changed(before, snapshot.counts()) or snapshot.writes:
                changed[f"{method} {path}"] = (
                    snapshot.changed(before, snapshot.counts()),
                    snapshot.writes,
                )

    assert answered == {}
    assert changed == {}


@pytest.mark.django_db
def test_staff_with_a_password_only_are_sent_to_the_code_page_from_django_rq_stats(
    staff_without_otp,
):
    response = staff_without_otp.get("/admin/django_rq/dashboard/stats.json/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert b'"queues"' not in response.content


@pytest.fixture
def superuser_staff(staff, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    return staff


@pytest.mark.django_db
def test_verified_staff_are_answered_by_every_admin_url(superuser_staff):
    not_answered = {}
    superuser_staff.raise_request_exception = False  # a 500 is recorded, the walk goes on

    for path in _admin_paths():
        response = superuser_staff.get(path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        if response.status_code >= 500 or final.startswith(("/accounts/login/", "/accounts/two")):
            not_answered[path] = (response.status_code, final)

    assert not_answered == {}


# --- No admin page answers a 500 (issue 7: "23 admin pages answer staff with a 500") --------


@pytest.fixture
def demo_data(db):
    """Demo-ish rows for (nearly) every model: a small registry, then the demo's own seeding
    through the services (members, invoices, activities, a showcase open for entries, the
    events)."""
    from tests.factories import CommunityFactory, CountryFactory, PartnershipFactory
    from twinning.matchmaking.models import Interest

    springfield = CommunityFactory(name="Springfield", country=CountryFactory(code="US"))
    nairobi = CommunityFactory(name="Nairobi", country=CountryFactory(code="KE"))
    for _ in range(3):
        PartnershipFactory(community_a=springfield)
    # "results" would judge the showcase too, but the demo's judging is refused today (the
    # seeding staff user has no verified second factor); "open" seeds entries and consents.
    # A small conference (30 seats) keeps the fixture quick; the events are the demo's own.
    call_command(
        "seed_demo",
        "--skip-import",
        "--stage",
        "open",
        "--entries",
        "3",
        "--attendees",
        "30",
        stdout=StringIO(),
    )
    # What the demo does not make: a group, a task row, an edited e-mail, an unsubscribed
    # address, a gazetteer place, an import run, an erasure request, an interest between
    # communities (the demo makes one only when a seeking member abroad is no partner yet).
    Group.objects.create(name="Editors")
    Interest.objects.get_or_create(community=nairobi, target=springfield)
    _expertise_exchange(springfield)
    DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="twinning.network.tasks.import_partnerships_task",
        backend_name="default",
        run_after=get_date_max(),  # "as soon as possible", as the database backend writes it
        exception_class_path="ValueError",
        traceback="Traceback (most recent call last): ...",
    )
    message = OutboxMessage.objects.order_by("pk").first()
    EmailTemplate.objects.create(key="demo", language="en", subject="Hello", body="Hi")
    Unsubscribe.objects.create(email="no.more@example.org", message=message)
    GazetteerPlace.objects.create(
        geonames_id=5411015, name="Springfield", country_code="US", latitude=1.0, longitude=2.0
    )
    ImportRun.objects.create(source_name="partnerships.csv", rows_read=3, created=2, rejected=1)
    ErasureRequest.objects.create(
        reference="ER-DEMO-1", requested_by="guardian", due_on=timezone.localdate()
    )


def _expertise_exchange(springfield):
    """An offer, a request and their match, unless the demo made them (it does when it has
    two members with admins)."""
    from tests.matchmaking.helpers import ask, committee, offer, town
    from twinning.core.authz import SYSTEM
    from twinning.matchmaking.models import ExpertiseMatch
    from twinning.matchmaking.services import match_request

    if ExpertiseMatch.objects.exists():
        return
    asking, _admin = committee("Admin Walk Asking", town("Admin Walk Asking", "US"))
    place = town("Admin Walk Offering", "US")
    offering, _other = committee("Admin Walk Offering", place)
    request = ask(asking, asking.communities.get())
    match_request(request=request, offer=offer(offering, place), by=SYSTEM)


def _admin_pages():
    """Every registered model's changelist (and a search on it), add page, and the change page
    of its first row."""
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{base}_changelist")
        yield reverse(f"{base}_changelist") + "?q=a"  # its search fields, if it has any
        yield reverse(f"{base}_add")
        first = model._default_manager.order_by("pk").first() if opts.managed else None
        if first is not None:
            yield reverse(f"{base}_change", args=[first.pk])


@pytest.mark.django_db
def test_no_admin_page_answers_a_verified_superuser_with_a_500(demo_data, superuser_staff):
    superuser_staff.raise_request_exception = False
    pages = list(_admin_pages())

    failing = [p for p in pages if superuser_staff.get(p).status_code >= 500]

    assert failing == []
    # Every registered model was shown with one of its rows.
    assert {p.split("/")[3] for p in pages if p.endswith("/change/")} == {
        m._meta.model_name for m in admin.site._registry if m._meta.managed
    }
