"""Monthly contacts (issue 10 section 3): the red/amber/green rule at its boundaries and as a
property, recording a contact, the dashboards, and the daily alerts sent once per month."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import _client_for
from tests.exchanges import monitoring_helpers as m
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.dates import association_today
from twinning.exchanges.models import ContactAlert, MonthlyContact
from twinning.exchanges.services.monitoring import (
    AMBER,
    AMBER_DAYS,
    GREEN,
    RED,
    contact_state,
    months_from,
    record_contact,
    send_contact_alerts,
)
from twinning.outbox.models import OutboxMessage

D = datetime.date
START = D(2027, 9, 10)


def _state(today, student=(), family=(), starts_on=START):
    return contact_state(
        starts_on=starts_on, today=today, student_months=student, family_months=family
    )


# --- The rule at its boundaries --------------------------------------------------------------


def test_a_placement_not_started_is_green_and_says_when_it_starts():
    state = _state(D(2027, 9, 1))

    assert state.colour == GREEN
    assert "starts on" in state.reasons[0]


def test_the_first_month_without_contact_is_green_until_seven_days_remain():
    assert _state(D(2027, 9, 23)).colour == GREEN  # 30-day month: 7 days left after today
    assert _state(D(2027, 9, 24)).colour == AMBER  # 6 days left


def test_amber_names_each_missing_side_and_the_days_left():
    state = _state(D(2027, 9, 28), student=[D(2027, 9, 1)])

    assert state.colour == AMBER
    assert state.reasons == (
        "No contact with the host family yet this month; 2 day(s) left after today.",
    )


def test_the_last_day_of_a_month_without_contact_is_amber_and_the_next_day_red():
    assert _state(D(2027, 9, 30)).colour == AMBER
    state = _state(D(2027, 10, 1))

    assert state.colour == RED
    assert state.overdue == (D(2027, 9, 1),)
    assert "No contact with the student in September 2027." in state.reasons


def test_february_turns_amber_on_the_twenty_second_of_a_common_year():
    start = D(2027, 2, 1)

    assert _state(D(2027, 2, 21), starts_on=start).colour == GREEN
    assert _state(D(2027, 2, 22), starts_on=start).colour == AMBER


def test_one_side_missing_in_a_past_month_is_red():
    state = _state(D(2027, 10, 5), student=[D(2027, 9, 1)])

    assert state.colour == RED
    assert state.reasons == ("No contact with the host family in September 2027.",)


def test_both_sides_of_every_past_month_done_is_green():
    months = [D(2027, 9, 1), D(2027, 10, 1)]

    assert _state(D(2027, 11, 3), student=months, family=months).colour == GREEN


def test_this_months_contacts_done_keep_the_last_week_green():
    months = [D(2027, 9, 1)]

    state = _state(D(2027, 9, 29), student=months, family=months)

    assert state.colour == GREEN
    assert state.reasons == ("Both contacts of this month are recorded.",)


@given(
    start=st.dates(D(2027, 1, 1), D(2028, 6, 30)),
    offset=st.integers(0, 500),
    student=st.sets(st.integers(0, 20)),
    family=st.sets(st.integers(0, 20)),
)
def test_the_colour_follows_the_rule(start, offset, student, family):
    today = start + datetime.timedelta(days=offset)
    every = months_from(start, today + datetime.timedelta(days=31))
    student_months = {every[i] for i in student if i < len(every)}
    family_months = {every[i] for i in family if i < len(every)}

    state = _state(today, student_months, family_months, starts_on=start)

    past = [mo for mo in every if mo < today.replace(day=1)]
    current = today.replace(day=1)
    next_first = (current + datetime.timedelta(days=32)).replace(day=1)
    days_left = (next_first - today).days - 1
    if any(mo not in student_months or mo not in family_months for mo in past):
        assert state.colour == RED
    elif (current not in student_months or current not in family_months) and days_left < AMBER_DAYS:
        assert state.colour == AMBER
    else:
        assert state.colour == GREEN


@given(
    start=st.dates(D(2027, 1, 1), D(2028, 6, 30)),
    offset=st.integers(-40, 500),
    student=st.sets(st.integers(-2, 20)),
    family=st.sets(st.integers(-2, 20)),
)
def test_the_state_from_the_stored_first_missing_month_is_the_full_state(
    start, offset, student, family
):
    """The dashboards and the compliance page read only the months from the stored
    `first_missing_month` on (`complete_before`): the colour and every reason are those of
    the rule given every month."""
    from twinning.core.dates import add_months
    from twinning.exchanges.services.monitoring import contact_state, first_missing_month

    first = start.replace(day=1)
    today = start + datetime.timedelta(days=offset)
    student_months = {add_months(first, i) for i in student}
    family_months = {add_months(first, i) for i in family}
    gap = first_missing_month(
        starts_on=start, student_months=student_months, family_months=family_months
    )

    full = contact_state(
        starts_on=start, today=today, student_months=student_months, family_months=family_months
    )
    from_gap = contact_state(
        starts_on=start,
        today=today,
        student_months={mo for mo in student_months if mo >= gap},
        family_months={mo for mo in family_months if mo >= gap},
        complete_before=gap,
    )

    assert from_gap == full


# --- Recording a contact ---------------------------------------------------------------------


@pytest.fixture
def placed(springfield_member):
    return m.placed(springfield_member)


def _record(placement, by=SYSTEM, **overrides):
    values = {
        "contact_with": "student",
        "contacted_on": association_today(),
        "method": "phone",
        "notes": "All well.",
    }
    values.update(overrides)
    return record_contact(placement=placement, **values, by=by)


@pytest.mark.django_db
def test_a_contact_is_recorded_in_its_month(placed):
    day = association_today()

    contact = _record(placed.placement, contacted_on=day)

    assert contact.month == day.replace(day=1)


@pytest.mark.django_db
def test_a_contact_in_the_future_is_refused(placed):
    with pytest.raises(ValidationError, match="in the future"):
        _record(placed.placement, contacted_on=association_today() + datetime.timedelta(days=1))
    assert not MonthlyContact.objects.exists()


@pytest.mark.django_db
def test_a_contact_before_the_placement_is_refused(placed):
    before = placed.placement.starts_on - datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="before it"):
        _record(placed.placement, contacted_on=before)


@pytest.mark.django_db
def test_a_second_contact_with_the_same_side_in_a_month_is_refused(placed):
    _record(placed.placement)

    with pytest.raises(ValidationError, match="already recorded"):
        _record(placed.placement)
    _record(placed.placement, contact_with="family")
    assert MonthlyContact.objects.count() == 2


@pytest.mark.django_db
def test_an_ended_placement_takes_no_contact(placed):
    from django.utils import timezone

    placed.placement.ended_at = timezone.now()
    placed.placement.end_reason = "Moved families."
    placed.placement.save()

    with pytest.raises(ValidationError, match="has ended"):
        _record(placed.placement)


@pytest.mark.django_db
def test_only_the_hosting_committee_and_staff_record_contacts(placed, other_committee_admin_user):
    for outsider in (other_committee_admin_user, placed.family.user, UserFactory()):
        with pytest.raises(NotAllowed):
            _record(placed.placement, by=outsider)

    _record(placed.placement, by=placed.coordinator.user)
    assert MonthlyContact.objects.get().recorded_by == placed.coordinator.user


# --- The alerts -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_is_emailed_once_per_overdue_month(springfield_member):
    start = association_today().replace(day=1) - datetime.timedelta(days=40)
    world = m.placed(springfield_member, starts_on=start)

    first = send_contact_alerts(by=SYSTEM)
    again = send_contact_alerts(by=SYSTEM)

    assert (first, again) == (1, 0)
    mail = OutboxMessage.objects.get(template="exchanges.contact_overdue")
    assert mail.to == world.coordinator.user.email
    assert "Ana Jovanovi" in mail.subject
    assert ContactAlert.objects.filter(placement=world.placement).count() == 2


@pytest.mark.django_db
def test_a_month_made_up_later_is_not_alerted_again_and_a_new_one_is(
    springfield_member, time_machine
):
    start = association_today().replace(day=1) - datetime.timedelta(days=1)  # last month
    world = m.placed(springfield_member, starts_on=start.replace(day=1))
    assert send_contact_alerts(by=SYSTEM) == 1

    time_machine.move_to(association_today().replace(day=28) + datetime.timedelta(days=10))

    assert send_contact_alerts(by=SYSTEM) == 1  # this month, now past, is a new overdue month
    assert OutboxMessage.objects.filter(template="exchanges.contact_overdue").count() == 2
    assert ContactAlert.objects.filter(placement=world.placement).count() == 2


@pytest.mark.django_db
def test_no_alert_while_the_contacts_are_up_to_date(placed):
    for side in ("student", "family"):
        for month in months_from(placed.placement.starts_on, association_today()):
            MonthlyContact.objects.create(
                placement=placed.placement,
                month=month,
                contact_with=side,
                contacted_on=max(month, placed.placement.starts_on),
                method="phone",
            )

    assert send_contact_alerts(by=SYSTEM) == 0


@pytest.mark.django_db
def test_the_alert_task_runs_from_the_schedule(placed, settings):
    from django.core.management import call_command

    assert "exchanges_contact_alerts" in settings.TWINNING_SCHEDULE
    call_command("exchanges_contact_alerts")


@pytest.mark.django_db
def test_the_alerts_refuse_a_committee_admin(placed, committee_admin_user):
    with pytest.raises(NotAllowed):
        send_contact_alerts(by=committee_admin_user)


# --- The dashboards --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_committee_dashboard_says_overdue_in_words_with_the_reason(placed, committee_admin):
    response = committee_admin.get(f"/exchanges/committees/{placed.member.slug}/monitoring/")

    body = response.content.decode()
    assert "Overdue" in body
    assert "No contact with the student in" in body
    assert 'aria-hidden="true">✖' in body
    assert placed.student.name in body


@pytest.mark.django_db
def test_the_staff_dashboard_lists_every_committee(placed, staff):
    body = staff.get("/staff/exchanges/monitoring/").content.decode()

    assert placed.student.name in body
    assert placed.member.name in body


@pytest.mark.django_db
def test_the_dashboard_is_refused_to_the_family_and_other_committees(placed, other_committee_admin):
    path = f"/exchanges/committees/{placed.member.slug}/monitoring/"

    assert other_committee_admin.get(path).status_code == 404
    assert _client_for(placed.family.user).get(path).status_code == 404


@pytest.mark.django_db
def test_the_coordinator_records_a_contact_on_the_placement_page(placed):
    client = _client_for(placed.coordinator.user)
    path = f"/exchanges/placements/{placed.placement.pk}/contacts/"

    response = client.post(
        path,
        {
            "contact_with": "family",
            "contacted_on": association_today().isoformat(),
            "method": "video",
        },
        follow=True,
    )

    assert "Contact recorded." in response.content.decode()
    assert "Video call" in response.content.decode()


@pytest.mark.django_db
def test_a_future_contact_on_the_page_says_why_and_changes_nothing(placed, committee_admin):
    tomorrow = association_today() + datetime.timedelta(days=1)

    response = committee_admin.post(
        f"/exchanges/placements/{placed.placement.pk}/contacts/",
        {"contact_with": "family", "contacted_on": tomorrow.isoformat(), "method": "video"},
    )

    assert response.status_code == 200
    assert "The contact date is in the future." in response.content.decode()
    assert not MonthlyContact.objects.exists()


@pytest.mark.django_db
def test_the_placement_page_is_refused_to_the_family_and_other_committees(
    placed, other_committee_admin
):
    path = f"/exchanges/placements/{placed.placement.pk}/contacts/"

    assert other_committee_admin.get(path).status_code == 404
    assert _client_for(placed.family.user).get(path).status_code == 404


@pytest.mark.django_db
def test_the_student_page_links_to_the_monthly_contacts(placed, committee_admin):
    body = committee_admin.get(f"/exchanges/students/{placed.student.pk}/").content.decode()

    assert f"/exchanges/placements/{placed.placement.pk}/contacts/" in body
    assert f"/exchanges/students/{placed.student.pk}/incidents/new/" in body


def test_the_monitoring_sections_replace_no_other_apps_section():
    from twinning.core.navigation import _SECTIONS

    grants = {
        (s.role, s.order) for s in _SECTIONS if s.links.__module__.endswith("grants.navigation")
    }
    mine = {(s.role, s.order) for s in _SECTIONS if s.links.__name__.endswith("monitoring_links")}

    assert grants == {("staff", 93), ("committee_admin", 93)}
    assert mine == {("staff", 97), ("committee_admin", 97), ("exchange_coordinator", 17)}


# --- The same rule in SQL (counts, filter and order of the dashboards) ------------------------


def _sql_colour(placement, today, student, family) -> tuple[str, str]:
    """The colour `with_contact_colour` computes for `placement` started on its `starts_on`
    with contacts in `student`'s and `family`'s months, beside `contact_state`'s; the
    dashboards' count of each colour (`colour_counts`, a conditional aggregation) and their
    filter by colour (`dashboard_order`) must say the same. The contacts
    are written in bulk, so the stored `first_missing_month` is refreshed as the services do
    (`refresh_contact_gap`) and must equal the month `first_missing_month` names."""
    from twinning.exchanges.models import Placement
    from twinning.exchanges.services.monitoring import (
        colour_counts,
        dashboard_order,
        first_missing_month,
        refresh_contact_gap,
        with_contact_colour,
    )

    MonthlyContact.objects.filter(placement=placement).delete()
    MonthlyContact.objects.bulk_create(
        MonthlyContact(
            placement=placement, month=month, contact_with=side, contacted_on=month, method="phone"
        )
        for side, months in (("student", student), ("family", family))
        for month in months
    )
    refresh_contact_gap(placement)
    found = Placement.objects.filter(pk=placement.pk)
    [stored] = found.values_list("first_missing_month", flat=True)
    assert stored == first_missing_month(
        starts_on=placement.starts_on, student_months=student, family_months=family
    )
    [sql] = with_contact_colour(found, today).values_list("contact_colour", flat=True)
    assert [row["pk"] for row in dashboard_order(found, today, colour=sql)] == [placement.pk]
    assert colour_counts(found, today) == {c: int(c == sql) for c in (RED, AMBER, GREEN)}
    python = _state(today, student, family, starts_on=placement.starts_on).colour
    return sql, python


BOUNDARIES = [
    # (starts on, today, student months, family months)
    (D(2027, 9, 10), D(2027, 9, 1), [], []),  # not started
    (D(2027, 9, 10), D(2027, 9, 23), [], []),  # 7 days left: green
    (D(2027, 9, 10), D(2027, 9, 24), [], []),  # 6 days left: amber
    (D(2027, 9, 10), D(2027, 9, 30), [D(2027, 9, 1)], []),  # last day, family missing
    (D(2027, 9, 10), D(2027, 9, 29), [D(2027, 9, 1)], [D(2027, 9, 1)]),  # done: green
    (D(2027, 9, 10), D(2027, 10, 1), [], []),  # the 1st of the next month: red
    (D(2027, 9, 10), D(2027, 10, 1), [D(2027, 9, 1)], [D(2027, 9, 1)]),  # September done
    (D(2027, 9, 10), D(2027, 10, 5), [D(2027, 9, 1)], []),  # one side missing: red
    (D(2027, 9, 30), D(2027, 10, 1), [D(2027, 9, 1)], [D(2027, 9, 1)]),  # started on the last day
    (D(2027, 9, 10), D(2027, 10, 1), [D(2027, 8, 1)], [D(2027, 8, 1)]),  # before the start: red
    (D(2027, 9, 10), D(2027, 10, 28), [D(2027, 9, 1), D(2027, 11, 1)], [D(2027, 9, 1)]),
    (D(2027, 2, 1), D(2027, 2, 21), [], []),  # common-year February: green
    (D(2027, 2, 1), D(2027, 2, 22), [], []),  # amber
    (D(2028, 2, 1), D(2028, 2, 22), [], []),  # leap-year February: still green
    (D(2028, 2, 1), D(2028, 2, 23), [], []),  # amber
    (D(2027, 11, 15), D(2028, 1, 31), [D(2027, 11, 1), D(2027, 12, 1)], [D(2027, 12, 1)]),
    (
        D(2027, 11, 15),
        D(2028, 1, 31),
        [D(2027, 11, 1), D(2027, 12, 1)],
        [D(2027, 11, 1), D(2027, 12, 1)],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "today", "student", "family"), BOUNDARIES)
def test_the_database_colours_each_boundary_as_the_rule_does(placed, start, today, student, family):
    placed.placement.starts_on = start
    placed.placement.save(update_fields=["starts_on"])

    sql, python = _sql_colour(placed.placement, today, student, family)

    assert sql == python


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.dates(D(2027, 1, 1), D(2028, 6, 30)),
    offset=st.integers(-40, 500),
    student=st.sets(st.integers(-2, 20)),
    family=st.sets(st.integers(-2, 20)),
)
def test_the_database_colour_agrees_with_the_rule(placed, start, offset, student, family):
    """Whatever the start, the day and the months with a contact on each side (before the
    start and after today included), `with_contact_colour` says what `contact_state` says."""
    from twinning.core.dates import add_months

    first = start.replace(day=1)
    placed.placement.starts_on = start
    placed.placement.save(update_fields=["starts_on"])
    today = start + datetime.timedelta(days=offset)

    sql, python = _sql_colour(
        placed.placement,
        today,
        [add_months(first, i) for i in student],
        [add_months(first, i) for i in family],
    )

    assert sql == python


# --- The stored first month missing a contact, as the services keep it -----------------------


def _months_missing(placement):
    """`first_missing_month` computed afresh from every contact of `placement`."""
    from twinning.exchanges.services.monitoring import first_missing_month

    rows = MonthlyContact.objects.filter(placement=placement)
    return first_missing_month(
        starts_on=placement.starts_on,
        student_months=[r.month for r in rows if r.contact_with == "student"],
        family_months=[r.month for r in rows if r.contact_with == "family"],
    )


@pytest.mark.django_db
def test_a_new_placement_misses_its_first_month(placed):
    placed.placement.refresh_from_db()

    assert placed.placement.first_missing_month == placed.placement.starts_on.replace(day=1)


@pytest.mark.django_db
def test_the_stored_month_moves_on_once_both_sides_of_a_month_are_recorded(springfield_member):
    today = association_today()
    first = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    world = m.placed(springfield_member, starts_on=first)
    placement = world.placement

    _record(placement, contact_with="student", contacted_on=first)
    placement.refresh_from_db()
    assert placement.first_missing_month == first  # the family is still missing
    _record(placement, contact_with="family", contacted_on=first + datetime.timedelta(days=3))
    placement.refresh_from_db()

    assert placement.first_missing_month == (first + datetime.timedelta(days=32)).replace(day=1)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    contacts=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(["student", "family"])),
        unique=True,
        max_size=10,
    )
)
def test_recording_contacts_in_any_order_keeps_the_stored_month_true(placed, contacts):
    """Whatever months and sides `record_contact` records, in whatever order, the placement's
    stored month is the one its contacts give, and the database's colour is the rule's."""
    from twinning.core.dates import add_months
    from twinning.exchanges.models import Placement
    from twinning.exchanges.services.monitoring import with_contact_colour

    today = association_today()
    first = add_months(today.replace(day=1), -4)
    placement = placed.placement
    MonthlyContact.objects.filter(placement=placement).delete()
    Placement.objects.filter(pk=placement.pk).update(starts_on=first, first_missing_month=first)
    placement.refresh_from_db()
    for offset, side in contacts:
        _record(placement, contact_with=side, contacted_on=min(add_months(first, offset), today))
        placement.refresh_from_db()
        assert placement.first_missing_month == _months_missing(placement)

    found = Placement.objects.filter(pk=placement.pk)
    [sql] = with_contact_colour(found, today).values_list("contact_colour", flat=True)
    rows = list(MonthlyContact.objects.filter(placement=placement))
    python = _state(
        today,
        [r.month for r in rows if r.contact_with == "student"],
        [r.month for r in rows if r.contact_with == "family"],
        starts_on=first,
    ).colour
    assert sql == python


@pytest.mark.django_db
def test_the_migration_fills_the_stored_month_from_the_contacts(springfield_member):
    import importlib

    from django.apps import apps

    from twinning.exchanges.models import Placement

    today = association_today()
    first = (today.replace(day=1) - datetime.timedelta(days=70)).replace(day=1)
    placement = m.placed(springfield_member, starts_on=first).placement
    MonthlyContact.objects.bulk_create(
        MonthlyContact(
            placement=placement, month=first, contact_with=side, contacted_on=first, method="phone"
        )
        for side in ("student", "family")
    )
    Placement.objects.update(first_missing_month=D(2000, 1, 1))
    migration = importlib.import_module(
        "twinning.exchanges.migrations.0006_placement_first_missing_month"
    )

    migration.fill(apps, None)

    placement.refresh_from_db()
    assert placement.first_missing_month == (first + datetime.timedelta(days=32)).replace(day=1)
