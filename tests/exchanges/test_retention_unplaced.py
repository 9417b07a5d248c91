"""Retention of applications that ended without a placement (RELIABILITY P-10: "exchange
application not placed: 6 months after the decision"): a student the association declined,
a host family declined, left undecided, or approved and never placed. At T(expiry) - 1 day
everything is present; at T(expiry) + 1 day 0 rows and 0 files of that class remain; a family
with a placement still kept is never deleted; a person also in the summit keeps the summit's
data; the figures shown are unchanged; a second run changes nothing; the pages still render.

Every application below is made and decided on 1 March 2027 at noon (time-machine), so:

- declined students, the declined family and the undecided family: due 1 September 2027
  (6 months after the decision or the last audited event);
- the approved family never placed: its approval's screening looked up to the season then
  announced (departure 15 June 2028, later than a year after the approval), so it is due
  15 December 2028."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import retention_helpers as r
from twinning.core.authz import SYSTEM
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.exchanges.models import (
    BackgroundCheck,
    FamilyApproval,
    HomeVisit,
    HomeVisitPhoto,
    HostFamily,
    HouseholdMember,
    Placement,
    Reference,
    RestrictedDetails,
    Season,
    StatusChange,
    Student,
    StudentDocument,
)
from twinning.exchanges.services import families
from twinning.exchanges.services.reciprocity import community_reciprocity
from twinning.exchanges.services.retention import apply_retention, apply_unplaced_retention
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Consent, Person

pytestmark = pytest.mark.django_db

DECIDED = datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)
DUE = datetime.date(2027, 9, 1)
APPROVED_DUE = datetime.date(2028, 12, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(springfield_member):
    with time_machine.travel(DECIDED, tick=False):
        w = r.two_way(springfield_member)
        w.contact = h.contact(w.to_springfield)
        # Declined from nominated, with an application document (a PDF in private storage).
        w.declined = h.nominate(w.to_springfield, w.contact, email="declined@example.org")
        w.document = h.students.add_document(
            student=w.declined, kind="essay", upload=h.pdf_upload(), by=SYSTEM
        )
        w.declined = r.advance(w.declined, Student.Status.DECLINED)
        # Declined after being accepted.
        w.accepted_then_declined = r.student_in(w.to_kragujevac, 4, Student.Status.ACCEPTED)
        w.accepted_then_declined = h.students.change_status(
            student=w.accepted_then_declined, status=Student.Status.DECLINED, by=SYSTEM
        )
        # A student who went, placed with a family; one accepted, not placed yet.
        w.went = r.student_in(w.to_springfield, 2, Student.Status.COMPLETED)
        w.coordinator = h.coordinator(springfield_member, email="coord.unplaced@example.org")
        w.hosting = r.approved_family(springfield_member, "hosting@example.org", w.coordinator)
        w.school = r.school(springfield_member)
        w.placement = r.place(w.went, w.hosting, w.school, w.coordinator)
        w.waiting = r.student_in(w.to_springfield, 3, Student.Status.ACCEPTED)
        # Families: declined (after a household member and a reference), left undecided,
        # approved with a photo of the room and never placed.
        w.declined_family = h.family(springfield_member, email="declined.family@example.org")
        families.add_household_member(
            family=w.declined_family,
            name="Homer Canaryhousehold",
            date_of_birth=datetime.date(1978, 5, 12),
            relationship="father",
            by=w.declined_family.user,
        )
        families.ask_reference(
            family=w.declined_family, name="Flanders", email="flanders@example.org", by=SYSTEM
        )
        families.decline_family(family=w.declined_family, message="Not now.", by=SYSTEM)
        w.undecided = h.family(springfield_member, email="undecided@example.org")
        w.never_placed = r.approved_family(springfield_member, "idle@example.org", w.coordinator)
    w.family_files = list(
        HomeVisitPhoto.objects.filter(visit__family=w.never_placed).values_list(
            "file_name", flat=True
        )
    )
    w.kept_files = list(
        HomeVisitPhoto.objects.filter(visit__family=w.hosting).values_list("file_name", flat=True)
    )
    return w


def _unplaced_students(world) -> list[Student]:
    return list(Student.objects.filter(pk__in=[world.declined.pk, world.accepted_then_declined.pk]))


def _gone_families(world) -> list[int]:
    return [world.declined_family.pk, world.undecided.pk]


def _figures(world):
    (row,) = community_reciprocity(world.springfield)
    return [(y.year, y.first_sent, y.second_sent) for y in row.years]


def _api_season(staff, world) -> dict:
    return staff.get(f"/api/exchanges/seasons/{world.season.slug}").json()


def _public_page(anonymous, world) -> str:
    """The community's public page (reciprocity), without its per-request tokens."""
    page = anonymous.get(world.springfield.get_absolute_url()).content.decode()
    return re.sub(r'(value|nonce)="[^"]*"', "", page)


def _seasons_row(staff, world) -> str:
    """The staff home's row of the season (places offered, students nominated)."""
    page = staff.get("/staff/exchanges/").content.decode()
    start = page.index(f"/staff/exchanges/seasons/{world.season.slug}/")
    return page[start : page.index("</tr>", start) + len("</tr>")]


def test_nothing_goes_the_day_before(world):
    assert apply_retention(today=DUE - DAY, by=SYSTEM) == {"seasons": 0}
    assert len(_unplaced_students(world)) == 2
    assert HostFamily.objects.filter(pk__in=_gone_families(world)).count() == 2
    assert StudentDocument.objects.filter(student=world.declined).exists()
    assert private_storage.exists(world.document.file_name)
    assert not ActivityLog.objects.filter(action="exchanges.unplaced.retention_applied").exists()


def test_declined_students_go_the_day_after_with_their_files(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = apply_retention(today=DUE + DAY, by=SYSTEM)
    assert counts["unplaced_students"] == 2
    ids = [world.declined.pk, world.accepted_then_declined.pk]
    assert not Student.objects.filter(pk__in=ids).exists()
    for model in (StudentDocument, StatusChange, RestrictedDetails):
        assert not model.objects.filter(student_id__in=ids).exists(), model
    assert not private_storage.exists(world.document.file_name)
    people = [world.declined.person_id, world.accepted_then_declined.person_id]
    assert not Person.objects.filter(pk__in=people).exists()
    assert not OutboxMessage.objects.filter(to="declined@example.org").exists()
    # The others of the season wait for it.
    assert set(Student.objects.values_list("pk", flat=True)) == {world.went.pk, world.waiting.pk}
    assert Consent.objects.filter(person=world.went.person, program="exchanges").exists()


def test_families_declined_or_undecided_go_the_day_after(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        counts = apply_retention(today=DUE + DAY, by=SYSTEM)
    assert counts["unplaced_families"] == 2
    gone = _gone_families(world)
    assert not HostFamily.objects.filter(pk__in=gone).exists()
    assert not HouseholdMember.objects.filter(family_id__in=gone).exists()
    assert not Reference.objects.filter(family_id__in=gone).exists()
    assert not OutboxMessage.objects.filter(to="declined.family@example.org").exists()
    assert not OutboxMessage.objects.filter(to="flanders@example.org").exists()
    # Their accounts stay (the person's sign-in).
    assert (
        world.declined_family.user.__class__.objects.filter(
            pk__in=[world.declined_family.user_id, world.undecided.user_id]
        ).count()
        == 2
    )
    # The approved family's approval looked further: still there; the hosting one too.
    assert HostFamily.objects.filter(pk=world.never_placed.pk).exists()
    assert all(private_storage.exists(name) for name in world.family_files)


def test_an_approved_family_never_placed_goes_after_its_approvals_horizon(
    world, django_capture_on_commit_callbacks
):
    family = world.never_placed
    apply_retention(today=APPROVED_DUE - DAY, by=SYSTEM)
    assert HostFamily.objects.filter(pk=family.pk).exists()
    assert FamilyApproval.objects.filter(family=family).exists()

    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(today=APPROVED_DUE + DAY, by=SYSTEM)

    assert not HostFamily.objects.filter(pk=family.pk).exists()
    assert not FamilyApproval.objects.filter(family_id=family.pk).exists()
    assert not HomeVisit.objects.filter(family_id=family.pk).exists()
    assert not HouseholdMember.objects.filter(family_id=family.pk).exists()
    assert not BackgroundCheck.objects.filter(person__family_id=family.pk).exists()
    assert world.family_files
    assert not any(private_storage.exists(name) for name in world.family_files)


def test_a_family_with_a_placement_kept_is_never_deleted(world):
    # Long after every other date, before the season's own (2031): the hosting family stays.
    apply_retention(today=datetime.date(2031, 6, 14), by=SYSTEM)
    assert HostFamily.objects.filter(pk=world.hosting.pk).exists()
    assert FamilyApproval.objects.filter(family=world.hosting).exists()
    assert Placement.objects.filter(pk=world.placement.pk).exists()
    assert all(private_storage.exists(name) for name in world.kept_files)


def test_a_family_whose_placement_ended_is_kept_with_its_season(world):
    from django.utils import timezone

    Placement.objects.filter(pk=world.placement.pk).update(
        ended_at=timezone.now(), end_reason="Moved."
    )
    apply_retention(today=datetime.date(2031, 6, 14), by=SYSTEM)
    assert HostFamily.objects.filter(pk=world.hosting.pk).exists()


def test_a_person_also_in_the_summit_keeps_their_summit_data(world):
    person = world.declined.person
    application = r.also_in_the_summit(person)

    apply_retention(today=DUE + DAY, by=SYSTEM)

    person = Person.objects.get(pk=person.pk)
    assert person.summit_applications.get() == application
    assert person.consents.filter(program="summit").exists()
    assert not person.consents.filter(program="exchanges").exists()
    assert not Student.objects.filter(person=person).exists()


def test_the_figures_shown_are_unchanged(world, staff, anonymous):
    before = _figures(world)
    api_before = _api_season(staff, world)
    home_before = _seasons_row(staff, world)
    page_before = _public_page(anonymous, world)

    apply_retention(today=DUE + DAY, by=SYSTEM)

    assert _figures(world) == before == [(2027, 0, 1)]
    assert _api_season(staff, world) == api_before
    assert api_before["students"] == {"accepted": 1, "completed": 1, "declined": 2}
    assert _seasons_row(staff, world) == home_before
    assert home_before.endswith('<td class="num">2</td><td class="num">4</td></tr>')
    assert _public_page(anonymous, world) == page_before
    counts = Season.objects.get(pk=world.season.pk).retained_counts
    assert counts == {"erased_early": {"declined": 2}}


def test_the_season_keeps_the_declined_students_in_its_counts_when_it_goes(world):
    apply_retention(today=DUE + DAY, by=SYSTEM)
    season = Season.objects.get(pk=world.season.pk)
    apply_retention(today=season.retention_due_on, by=SYSTEM)
    counts = Season.objects.get(pk=world.season.pk).retained_counts
    assert counts["students"] == {"accepted": 1, "completed": 1, "declined": 2}
    assert counts["students_went"] == 1
    assert "erased_early" not in counts


def test_running_it_twice_changes_nothing_more(world):
    first = apply_retention(today=DUE + DAY, by=SYSTEM)
    season = Season.objects.get(pk=world.season.pk)
    rows = (Student.objects.count(), HostFamily.objects.count(), ActivityLog.objects.count())
    second = apply_retention(today=DUE + 2 * DAY, by=SYSTEM)
    assert first == {
        "seasons": 0,
        "unplaced_students": 2,
        "unplaced_families": 2,
        "files": 1,
    }
    assert second == {"seasons": 0}
    assert Season.objects.get(pk=season.pk).retained_counts == season.retained_counts
    assert (Student.objects.count(), HostFamily.objects.count(), ActivityLog.objects.count()) == (
        rows
    )


def test_the_audit_entry_holds_counts_only(world):
    apply_retention(today=DUE + DAY, by=SYSTEM)
    entry = ActivityLog.objects.get(action="exchanges.unplaced.retention_applied")
    assert entry.data == {"unplaced_students": 2, "unplaced_families": 2, "files": 1}
    everything = str(list(ActivityLog.objects.values_list("data", flat=True)))
    assert "Canaryname4" not in everything and "Canaryhousehold" not in everything
    assert "declined@example.org" not in everything


def test_the_nightly_command_runs_it(world):
    with time_machine.travel(datetime.datetime.combine(DUE + DAY, datetime.time(12)), tick=False):
        call_command("exchanges_retention", verbosity=0)
    assert not Student.objects.filter(pk=world.declined.pk).exists()
    assert not HostFamily.objects.filter(pk=world.undecided.pk).exists()


def test_a_later_step_restarts_a_familys_clock(world):
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        families.add_household_member(
            family=world.undecided,
            name="Lisa",
            date_of_birth=datetime.date(2015, 5, 9),
            relationship="daughter",
            by=world.undecided.user,
        )
    apply_retention(today=DUE + DAY, by=SYSTEM)
    assert HostFamily.objects.filter(pk=world.undecided.pk).exists()
    apply_retention(today=datetime.date(2027, 12, 2), by=SYSTEM)
    assert not HostFamily.objects.filter(pk=world.undecided.pk).exists()


def test_a_declined_student_with_an_incident_waits_for_the_season(world):
    from tests.exchanges import monitoring_helpers as m

    m.incident(world.declined)
    apply_retention(today=DUE + DAY, by=SYSTEM)
    assert Student.objects.filter(pk=world.declined.pk).exists()


def test_a_shorter_period_in_the_settings_deletes_earlier(world, settings):
    settings.EXCHANGES_UNPLACED_RETENTION_MONTHS = 1
    apply_retention(today=datetime.date(2027, 3, 31), by=SYSTEM)
    assert Student.objects.filter(pk=world.declined.pk).exists()
    apply_retention(today=datetime.date(2027, 4, 1), by=SYSTEM)
    assert not Student.objects.filter(pk=world.declined.pk).exists()


def test_the_hosting_committees_admin_may_not_apply_it(world, committee_admin_user):
    from twinning.core.authz import NotAllowed

    with pytest.raises(NotAllowed):
        apply_unplaced_retention(today=DUE + DAY, by=committee_admin_user)
    assert Student.objects.filter(pk=world.declined.pk).exists()


def test_the_pages_still_render_after_the_erasure(world, staff, springfield_member):
    apply_retention(today=DUE + DAY, by=SYSTEM)
    slug = springfield_member.slug
    for url in (
        "/staff/exchanges/",
        f"/staff/exchanges/seasons/{world.season.slug}/",
        f"/exchanges/committees/{slug}/families/",
        f"/exchanges/committees/{slug}/families/{world.never_placed.pk}/",
        f"/exchanges/committees/{slug}/families/{world.hosting.pk}/",
        f"/exchanges/committees/{slug}/",
    ):
        assert staff.get(url).status_code == 200, url
    season_page = staff.get(f"/staff/exchanges/seasons/{world.season.slug}/").content.decode()
    assert "deleted 6 months after the decision" in season_page
    assert "2 declined students of this season deleted so far." in season_page
    gone = f"/exchanges/committees/{slug}/families/{world.undecided.pk}/"
    assert staff.get(gone).status_code == 404
    # The erased family's account stays and its page says it has no application.
    own = _client_for(world.undecided.user).get("/exchanges/host/")
    assert own.status_code == 200
    assert "Simpson" not in own.content.decode()


def test_a_family_reads_how_long_its_application_is_kept(public):
    page = public.get("/exchanges/host/apply/").content.decode()
    assert "is deleted 6 months after the decision or its last step" in page
