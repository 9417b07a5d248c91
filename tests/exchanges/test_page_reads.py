"""The monitoring pages' reads by ids (`monitoring.rows_by_ids`): their SQL is compiled once
and kept, what they return is read anew on every call; and the rules' and the contacts'
sentences, translated once per language, are in the language of the page."""

import datetime

import pytest
from django.utils import translation

from tests.exchanges import monitoring_helpers as m
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import BackgroundCheck, HostFamily, Placement
from twinning.exchanges.services import compliance, families, monitoring, placement
from twinning.exchanges.services.compliance import page_rows
from twinning.exchanges.services.monitoring import (
    RED,
    contact_state,
    dashboard_rows_of,
    rows_by_ids,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(springfield_member):
    return m.placed(springfield_member)


def _checks(world):
    ((_row, found),) = page_rows([world.placement.pk])
    return {check.rule: check for check in found}


def test_a_pages_rules_follow_the_data_though_their_sql_is_kept(placed):
    """Each change, made through its service, shows on the next read of the same page (the
    same number of ids: the kept SQL), rule by rule."""
    before = _checks(placed)
    assert ("exchanges.compliance_rows", "default", 1) in monitoring._BY_IDS
    assert not before["orientation"].passed
    assert before["incidents"].passed
    assert before["adults_checked"].passed

    placement.record_orientation(
        student=placed.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
    )
    assert _checks(placed)["orientation"].passed

    m.incident(placed.student)  # a mandatory report now owed
    assert not _checks(placed)["incidents"].passed

    adult = families.add_household_member(
        family=HostFamily.objects.get(pk=placed.family.pk),
        name="Lodger",
        date_of_birth=datetime.date(1990, 1, 1),
        relationship="lodger",
        by=SYSTEM,
    )
    assert "Lodger has no background check." in _checks(placed)["adults_checked"].reason

    families.record_background_check(
        person=adult,
        checked_on=association_today(),
        provider="Checks Inc",
        result=BackgroundCheck.Result.CLEAR,
        by=SYSTEM,
    )
    assert _checks(placed)["adults_checked"].passed

    assert not _checks(placed)["contacts"].passed  # a past month without a contact
    today = association_today()
    for month in monitoring.months_from(placed.placement.starts_on, today):
        for side in ("student", "family"):
            monitoring.record_contact(
                placement=Placement.objects.get(pk=placed.placement.pk),
                contact_with=side,
                contacted_on=max(month, placed.placement.starts_on),
                method="phone",
                by=SYSTEM,
            )
    assert _checks(placed)["contacts"].passed


def test_rows_by_ids_reads_each_id_once_and_keeps_only_queries_ending_with_them(placed):
    pk = placed.placement.pk

    def by_ids(ids):
        return Placement.objects.filter(pk__in=ids).values_list("pk", "starts_on")

    def then_filtered(ids):  # a parameter after the ids: its SQL is not kept
        found = Placement.objects.filter(pk__in=ids).values_list("pk")
        return found.filter(starts_on__gte=datetime.date(2000, 1, 1))

    _names, rows = rows_by_ids("test.by_ids", [pk, pk], by_ids)

    assert rows == [(pk, placed.placement.starts_on)]
    assert ("test.by_ids", "default", 1) in monitoring._BY_IDS
    _names, rows = rows_by_ids("test.then_filtered", [pk], then_filtered)
    assert rows == [(pk,)]
    assert ("test.then_filtered", "default", 1) not in monitoring._BY_IDS
    assert rows_by_ids("test.by_ids", [], by_ids) == ([], [])


def test_no_ids_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert page_rows([], datetime.date(2026, 1, 1)) == []


@pytest.fixture
def marked_words(monkeypatch):
    """Each sentence of the rules and the contacts marked with the language it was translated
    in (the test settings have no compiled catalogue), the kept words made anew before and
    after."""

    def marked(message):
        return f"[{translation.get_language()}] {message}"

    compliance._words.cache_clear()
    monitoring._state_words.cache_clear()
    monkeypatch.setattr(compliance, "_", marked)
    monkeypatch.setattr(monitoring, "_", marked)
    yield
    compliance._words.cache_clear()
    monitoring._state_words.cache_clear()


def test_the_reasons_are_in_the_language_of_the_page(placed, marked_words):
    """The sentences are translated once per language, each in its own: a page in German
    after one in English (and back) says each in its language."""
    english = _checks(placed)
    with translation.override("de"):
        german = _checks(placed)
        state = contact_state(
            starts_on=datetime.date(2026, 1, 10),
            today=datetime.date(2026, 3, 5),
            student_months=[datetime.date(2026, 1, 1)],
            family_months=[datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)],
        )
    again = _checks(placed)

    assert english["incidents"].reason == again["incidents"].reason == "[en] No report owed."
    assert german["incidents"].reason == "[de] No report owed."
    assert german["orientation"].reason == "[de] No orientation before arrival is recorded."
    assert state.reasons[0].startswith("[de] No contact with [de] the student in ")


def test_the_dashboards_rows_follow_the_data_though_their_sql_is_kept(placed):
    """`dashboard_rows_of` compiles its query once per scope, day and colour: a contact
    recorded through the service moves the placement from the overdue rows to the others on
    the next read, and a committee's scope keeps its own query."""
    today = association_today()
    everyone = Placement.objects.all()
    theirs = Placement.objects.for_host(placed.member)
    pk = placed.placement.pk

    def shown(placements, colour=""):
        return [row["pk"] for row in dashboard_rows_of(placements, today, colour=colour)[0:50]]

    assert shown(everyone, RED) == shown(theirs, RED) == shown(everyone) == [pk]
    assert any(key[3:] == (today, RED) for key in monitoring._DASHBOARD_SQL)
    for month in monitoring.months_from(placed.placement.starts_on, today):
        for side in ("student", "family"):
            monitoring.record_contact(
                placement=Placement.objects.get(pk=pk),
                contact_with=side,
                contacted_on=max(month, placed.placement.starts_on),
                method="phone",
                by=SYSTEM,
            )

    assert shown(everyone, RED) == shown(theirs, RED) == []
    assert shown(everyone) == [pk]
    (row,) = dashboard_rows_of(everyone, today)[0:1]
    assert row["first_name"] == placed.student.person.first_name
    assert row["starts_on"] == placed.placement.starts_on  # a date, as the ORM reads it
    assert row["first_missing_month"] == monitoring.month_of(today)


def test_an_empty_slice_of_the_dashboard_reads_nothing(placed, django_assert_num_queries):
    rows = dashboard_rows_of(Placement.objects.all(), association_today())

    with django_assert_num_queries(0):
        assert rows[0:0] == []
