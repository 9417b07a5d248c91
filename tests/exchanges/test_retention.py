"""Retention (RELIABILITY P-10): a season's personal data is deleted once its period after the
departure has passed (three years by default, per season), never before; the counts stay;
files leave the private storage; a young person another program holds keeps that program's
data; the nightly job run twice changes nothing more."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command

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
    SendingContact,
    StatusChange,
    Student,
    StudentDocument,
)
from twinning.exchanges.services.reciprocity import community_reciprocity
from twinning.exchanges.services.retention import apply_retention, apply_season_retention
from twinning.outbox.models import OutboxMessage
from twinning.youth.models import Consent, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield_member):
    """A season with a placed student who completed (documents, a placement with reasons, a
    sending contact), a student who went the other way, and a student never placed."""
    w = r.two_way(springfield_member)
    w.contact = h.contact(w.to_springfield)
    w.student = h.nominate(w.to_springfield, w.contact, email="went@example.org")
    w.document = h.students.add_document(
        student=w.student, kind="essay", upload=h.pdf_upload(), by=SYSTEM
    )
    w.student = r.advance(w.student, "completed")
    w.coordinator = h.coordinator(springfield_member, email="coord.ret@example.org")
    w.family = r.approved_family(springfield_member, "family.ret@example.org", w.coordinator)
    w.school = r.school(springfield_member)
    w.placement = r.place(w.student, w.family, w.school, w.coordinator)
    w.other_way = r.student_in(w.to_kragujevac, 2, "arrived")
    w.never_placed = r.student_in(w.to_springfield, 3, "accepted")
    w.files = [w.document.file_name, *HomeVisitPhoto.objects.values_list("file_name", flat=True)]
    return w


def _season(world) -> Season:
    return Season.objects.get(pk=world.season.pk)


def _figures(world):
    (row,) = community_reciprocity(world.springfield)
    return [(y.year, y.first_sent, y.second_sent) for y in row.years]


def test_the_job_is_on_the_daily_schedule():
    assert settings.TWINNING_SCHEDULE["exchanges_retention"] == 24 * 3600


def test_the_default_period_is_three_years_after_the_departure(world):
    assert _season(world).retention_due_on == datetime.date(2031, 6, 15)


def test_nothing_is_deleted_the_day_before_the_period_ends(world):
    assert apply_retention(today=r.after(world.season, -1), by=SYSTEM) == {"seasons": 0}
    assert Student.objects.count() == 3
    assert HostFamily.objects.filter(pk=world.family.pk).exists()
    assert all(private_storage.exists(name) for name in world.files)
    assert _season(world).retention_done_at is None


def test_the_students_exchange_data_is_deleted_when_the_period_ends(world):
    call_command_at(r.after(world.season))
    for model in (Student, RestrictedDetails, StudentDocument, StatusChange, Placement):
        assert not model.objects.exists(), model
    assert not SendingContact.objects.exists()
    assert not Person.objects.filter(pk=world.student.person_id).exists()
    assert not Consent.objects.filter(program="exchanges").exists()
    assert not OutboxMessage.objects.filter(to="went@example.org").exists()


def test_the_host_familys_personal_data_and_photos_are_deleted(world):
    apply_retention(today=r.after(world.season), by=SYSTEM)
    for model in (
        HostFamily,
        HouseholdMember,
        BackgroundCheck,
        Reference,
        HomeVisit,
        HomeVisitPhoto,
        FamilyApproval,
    ):
        assert not model.objects.exists(), model
    assert not OutboxMessage.objects.filter(to__startswith="ned").exists()


def test_the_files_are_gone_from_the_private_storage(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(today=r.after(world.season), by=SYSTEM)
    assert world.files and not any(private_storage.exists(name) for name in world.files)


def test_the_figures_and_counts_are_unchanged_after_the_deletion(world, anonymous):
    before = _figures(world)
    page_before = anonymous.get(world.springfield.get_absolute_url()).content.decode()
    apply_retention(today=r.after(world.season), by=SYSTEM)
    assert _figures(world) == before == [(2027, 1, 1)]
    page = anonymous.get(world.springfield.get_absolute_url()).content.decode()
    assert "Sent by Kragujevac, hosted in Springfield" in page
    assert page.count('class="num">1<') == page_before.count('class="num">1<')
    counts = _season(world).retained_counts
    assert counts["placements"] == 1 and counts["students_went"] == 2
    assert counts["students"] == {"accepted": 1, "arrived": 1, "completed": 1}


def test_a_family_placed_in_a_season_still_kept_keeps_its_data(world, springfield_member):
    later = h.season(
        slug="2029-30",
        arrival_date=datetime.date(2029, 8, 15),
        departure_date=datetime.date(2030, 6, 15),
    )
    quota = h.students.offer_places(
        season=later, host=springfield_member, partnership=world.partnership, places=2, by=SYSTEM
    )
    student = r.student_in(quota, 9, "placed", date_of_birth=datetime.date(2013, 3, 1))
    r.place(student, world.family, world.school, world.coordinator)

    apply_retention(today=r.after(world.season), by=SYSTEM)

    assert HostFamily.objects.filter(pk=world.family.pk).exists()
    assert HomeVisitPhoto.objects.exists() and Placement.objects.get().student == student
    assert not Student.objects.filter(season=world.season).exists()


def test_a_person_also_in_the_summit_keeps_their_summit_data(world):
    person = world.student.person
    application = r.also_in_the_summit(person)

    apply_retention(today=r.after(world.season), by=SYSTEM)

    person = Person.objects.get(pk=person.pk)
    assert person.summit_applications.get() == application
    assert person.consents.filter(program="summit").exists()
    assert not person.consents.filter(program="exchanges").exists()
    assert not Student.objects.filter(person=person).exists()


def test_running_the_job_twice_changes_nothing_more(world):
    day = r.after(world.season)
    first = apply_retention(today=day, by=SYSTEM)
    figures = list(_season(world).figures.values("sending", "hosting", "students"))
    second = apply_retention(today=day + datetime.timedelta(days=1), by=SYSTEM)
    assert first["seasons"] == 1 and first["students"] == 3 and first["families"] == 1
    assert second == {"seasons": 0}
    assert list(_season(world).figures.values("sending", "hosting", "students")) == figures
    assert ActivityLog.objects.filter(action="exchanges.season.retention_applied").count() == 1


def test_the_audit_entry_holds_counts_only(world):
    apply_retention(today=r.after(world.season), by=SYSTEM)
    entry = ActivityLog.objects.get(action="exchanges.season.retention_applied")
    assert entry.data == {"students": 3, "sending_contacts": 1, "families": 1, "files": 2}
    everything = str(list(ActivityLog.objects.values_list("data", flat=True)))
    assert "Canaryname" not in everything and "went@example.org" not in everything


def test_a_shorter_period_set_for_the_season_deletes_earlier(springfield_member):
    season = h.season(slug="short", retention_years=1)
    quota = h.quota(springfield_member, season)
    r.student_in(quota, 1, "completed")
    assert season.retention_due_on == datetime.date(2029, 6, 15)
    apply_retention(today=datetime.date(2029, 6, 15), by=SYSTEM)
    assert not Student.objects.exists()


def test_the_hosting_committees_admin_may_not_apply_it(world, committee_admin_user):
    from twinning.core.authz import NotAllowed

    with pytest.raises(NotAllowed):
        apply_season_retention(
            season=world.season, today=r.after(world.season), by=committee_admin_user
        )
    assert Student.objects.count() == 3


def test_staff_see_on_the_season_page_when_its_data_will_be_deleted(staff, world):
    page = staff.get(f"/staff/exchanges/seasons/{world.season.slug}/").content.decode()
    assert "will be deleted on" in page and "2031" in page


def test_staff_see_on_the_season_page_that_its_data_was_deleted(staff, world):
    apply_retention(today=r.after(world.season), by=SYSTEM)
    page = staff.get(f"/staff/exchanges/seasons/{world.season.slug}/").content.decode()
    assert "personal data of this season was deleted on" in page


def call_command_at(day: datetime.date) -> None:
    import time_machine

    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
        call_command("exchanges_retention", verbosity=0)


def test_incidents_contacts_and_orientations_go_with_the_students_and_their_count_stays(world):
    from tests.exchanges import monitoring_helpers as m
    from twinning.exchanges.models import ContactAlert, Incident, MonthlyContact, Orientation

    m.incident(world.student)
    MonthlyContact.objects.create(
        placement=world.placement,
        month=world.season.arrival_date.replace(day=1),
        contact_with=MonthlyContact.With.STUDENT,
        contacted_on=world.season.arrival_date,
        method=MonthlyContact.Method.PHONE,
        notes="Settling in well.",
    )
    Orientation.objects.create(
        student=world.student, kind=Orientation.Kind.PRE_ARRIVAL, held_on=world.season.arrival_date
    )

    apply_retention(today=r.after(world.season), by=SYSTEM)

    for model in (Incident, MonthlyContact, ContactAlert, Orientation):
        assert not model.objects.exists(), model
    counts = _season(world).retained_counts
    assert counts["incidents"] == 1
    assert counts["mandatory_reports"] == 1
