"""The compliance page (22 CFR 62.25): each tracked rule passes or fails with its reason, the
CSV export is formula-safe, who may see it, and the monitoring pages' query-count guards."""

import datetime

import pytest

from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import monitoring_helpers as m
from tests.factories import CommunityFactory, MemberFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import HomeVisit, Incident, Placement, School, Student, Training
from twinning.exchanges.services import families, placement
from twinning.exchanges.services.compliance import compliance_rows, failing_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(springfield_member):
    return m.placed(springfield_member)


def _checks(placement):
    rows = {row.pk: found for row, found in compliance_rows(Placement.objects.all())}
    return {check.rule: check for check in rows[placement.pk]}


def test_a_screened_placement_passes_the_screening_rules(placed):
    checks = _checks(placed.placement)

    assert [
        checks[r].passed for r in ("adults_checked", "home_visit", "school_letter", "training")
    ] == [True] * 4
    assert "1 adult(s)" in checks["adults_checked"].reason


def test_someone_turning_18_during_the_stay_without_a_check_fails_the_adults_rule(placed):
    departure = placed.season.departure_date
    birthday = departure.replace(year=departure.year - 18) - datetime.timedelta(days=1)
    # Added directly: the families' service would (rightly) reopen the approval.
    placed.family.household.create(name="Bart", date_of_birth=birthday, relationship="son")

    check = _checks(placed.placement)["adults_checked"]

    assert check.passed is False
    assert check.reason == "Bart has no background check."


def test_a_home_visit_after_the_start_fails(placed):
    Placement.objects.filter(pk=placed.placement.pk).update(
        starts_on=association_today() - datetime.timedelta(days=400)
    )

    check = _checks(placed.placement)["home_visit"]

    assert check.passed is False
    assert "after the placement started" in check.reason


def test_a_school_without_a_letter_fails(placed, springfield_member):
    from twinning.exchanges.services import staff

    bare = staff.add_school(
        member=springfield_member,
        name="No Letter High",
        address="x",
        contact_name="y",
        contact_email="noletter@example.org",
        by=SYSTEM,
    )
    Placement.objects.filter(pk=placed.placement.pk).update(school=bare)

    check = _checks(placed.placement)["school_letter"]

    assert (check.passed, check.reason) == (
        False,
        "No Letter High has no signed acceptance letter on file.",
    )


def test_an_expired_training_fails(placed):
    Training.objects.filter(coordinator=placed.coordinator).update(
        expires_on=association_today() - datetime.timedelta(days=1)
    )

    check = _checks(placed.placement)["training"]

    assert check.passed is False
    assert "expired or not recorded" in check.reason


def test_no_orientation_before_arrival_fails(placed):
    check = _checks(placed.placement)["orientation"]

    assert check.passed is False
    assert check.reason == "No orientation before arrival is recorded."


def test_the_orientation_before_arrival_passes_until_the_student_arrives(placed):
    placement.record_orientation(
        student=placed.student,
        kind="pre_arrival",
        held_on=association_today() - datetime.timedelta(days=3),
        by=SYSTEM,
    )

    check = _checks(placed.placement)["orientation"]

    assert check.passed is True
    assert "the one after arrival comes later" in check.reason


def test_an_arrived_student_without_the_orientation_after_arrival_fails_then_passes(placed):
    held = association_today() - datetime.timedelta(days=3)
    placement.record_orientation(
        student=placed.student, kind="pre_arrival", held_on=held, by=SYSTEM
    )
    Student.objects.filter(pk=placed.student.pk).update(status=Student.Status.ARRIVED)

    check = _checks(placed.placement)["orientation"]
    assert (check.passed, check.reason) == (
        False,
        "Arrived, but no orientation after arrival is recorded.",
    )

    placement.record_orientation(
        student=Student.objects.get(pk=placed.student.pk),
        kind="post_arrival",
        held_on=held,
        by=SYSTEM,
    )

    assert _checks(placed.placement)["orientation"].passed is True


def test_overdue_monthly_contacts_fail_and_say_which_month(placed):
    check = _checks(placed.placement)["contacts"]

    assert check.passed is False
    assert "No contact with the student in" in check.reason


def test_an_open_mandatory_report_fails_without_saying_what_happened(placed, committee_admin):
    m.incident(placed.student)

    check = _checks(placed.placement)["incidents"]
    body = committee_admin.get(f"/exchanges/committees/{placed.member.slug}/compliance/").content

    assert (check.passed, check.reason) == (
        False,
        "1 report(s) to the Department of State not yet filed.",
    )
    assert m.CANARY_INCIDENT.encode() not in body
    assert b"Hospitalisation" not in body


def test_the_page_shows_pass_and_fail_in_words(placed, committee_admin):
    body = committee_admin.get(
        f"/exchanges/committees/{placed.member.slug}/compliance/"
    ).content.decode()

    assert "Every adult in the household checked" in body
    assert '<span aria-hidden="true">✔ </span>pass</span>' in body
    assert '<span aria-hidden="true">✖ </span>fail</span>' in body
    assert "No orientation before arrival is recorded." in body


def test_the_csv_export_is_formula_safe(placed, staff):
    placed.family.family_name = "=HYPERLINK(1)"
    placed.family.save()

    response = staff.get("/staff/exchanges/compliance.csv")

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text
    assert "Monthly contacts up to date" in text.splitlines()[0]


def test_the_compliance_pages_are_refused_to_the_family_and_other_committees(
    placed, other_committee_admin
):
    for path in (
        f"/exchanges/committees/{placed.member.slug}/compliance/",
        f"/exchanges/committees/{placed.member.slug}/compliance.csv",
    ):
        assert other_committee_admin.get(path).status_code == 404
        assert _client_for(placed.family.user).get(path).status_code == 404


# --- Query-count guards ------------------------------------------------------------------------


def _many(member, count: int):
    """`count` placed students, each with its own family, school and coordinator, a contact,
    an incident."""
    season = h.season(slug="guard")
    for i in range(count):
        quota = h.quota(member, season, partner=CommunityFactory())
        student = h.nominate(quota, email=f"s{i}@abroad.example")
        coordinator = h.coordinator(member, email=f"c{i}@springfield.example")
        family = h.screened_family(member, coordinator, email=f"f{i}@springfield.example")
        families.approve_family(family=family, by=SYSTEM)
        school = m.school_with_letter(member, name=f"S{i} High")
        placement = m.place(student, family, school, coordinator)
        from twinning.exchanges.services.monitoring import record_contact

        record_contact(
            placement=placement,
            contact_with="student",
            contacted_on=association_today(),
            method="phone",
            by=SYSTEM,
        )
        m.incident(student)


PAGES = {
    "committee_monitoring": ("committee_admin", "/exchanges/committees/{member}/monitoring/"),
    "committee_compliance": ("committee_admin", "/exchanges/committees/{member}/compliance/"),
    "committee_compliance_csv": (
        "committee_admin",
        "/exchanges/committees/{member}/compliance.csv",
    ),
    "staff_monitoring": ("staff", "/staff/exchanges/monitoring/"),
    "staff_compliance": ("staff", "/staff/exchanges/compliance/"),
    "staff_monitoring_overdue": ("staff", "/staff/exchanges/monitoring/?state=red"),
    "staff_monitoring_committee": ("staff", "/staff/exchanges/monitoring/?committee={member}"),
    "staff_compliance_failing": ("staff", "/staff/exchanges/compliance/?failing=1"),
    "committee_compliance_failing": (
        "committee_admin",
        "/exchanges/committees/{member}/compliance/?failing=1",
    ),
    "staff_compliance_csv": ("staff", "/staff/exchanges/compliance.csv"),
    "staff_incidents": ("welfare", "/staff/exchanges/incidents/"),
    "committee_incidents": ("welfare", "/exchanges/committees/{member}/incidents/"),
}


def _queries(request, member, page, page_number: int | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.welfare import reauthenticated, welfare_staff

    role, template = PAGES[page]
    if role == "welfare":
        client = reauthenticated(_client_for(welfare_staff(), verified=True))
    else:
        client = request.getfixturevalue(role)
    path = template.format(member=member.slug)
    if page_number:
        path += ("&" if "?" in path else "?") + f"page={page_number}"
    client.get(path)  # roles detected and kept in the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_monitoring_pages_cost_the_same_queries_for_one_placement_and_three(
    request, springfield_member, page
):
    _many(springfield_member, 1)
    one = _queries(request, springfield_member, page)

    _more(springfield_member)
    three = _queries(request, springfield_member, page)

    assert one == three


@pytest.mark.parametrize(
    "page",
    [
        "committee_monitoring",
        "committee_compliance",
        "staff_monitoring",
        "staff_compliance",
        "staff_monitoring_overdue",
        "staff_compliance_failing",
    ],
)
def test_a_later_page_costs_what_the_only_page_cost(request, springfield_member, monkeypatch, page):
    """More placements than a page (one a page here): the last page of three costs the
    queries of the single page of one."""
    monkeypatch.setattr("twinning.core.paging.PAGE_SIZE", 1)
    _many(springfield_member, 1)
    one = _queries(request, springfield_member, page)

    _more(springfield_member)
    last = _queries(request, springfield_member, page, page_number=3)

    assert one == last


def _more(member):
    """Two more placed students of the same committee (another season for the uniqueness)."""
    season = h.season(slug="guard-more", name="More")
    for i in (1, 2):
        quota = h.quota(member, season, partner=CommunityFactory())
        student = h.nominate(quota, email=f"more{i}@abroad.example")
        coordinator = h.coordinator(member, email=f"more.c{i}@springfield.example")
        family = h.screened_family(member, coordinator, email=f"more.f{i}@springfield.example")
        families.approve_family(family=family, by=SYSTEM)
        school = m.school_with_letter(member, name=f"More{i} High")
        placement = m.place(student, family, school, coordinator)
        from twinning.exchanges.services.monitoring import record_contact

        record_contact(
            placement=placement,
            contact_with="family",
            contacted_on=association_today(),
            method="video",
            by=SYSTEM,
        )
        m.incident(student)


# --- Paged and filtered pages (bench/exchanges.py: 2,000 students) ------------------------------


def _named(world, first_name: str):
    world.student.person.first_name = first_name
    world.student.person.save(update_fields=["first_name"])
    return world


@pytest.fixture
def two(springfield_member):
    """An overdue placement (begun 40 days ago, no contact) and one that passes every rule
    (it starts in ten days and had its orientation before arrival)."""
    red = _named(m.placed(springfield_member, slug="red", email="red@abroad.example"), "Rada")
    soon = association_today() + datetime.timedelta(days=10)
    fine = m.placed(springfield_member, slug="fine", email="fine@abroad.example", starts_on=soon)
    placement.record_orientation(
        student=fine.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
    )
    return red, _named(fine, "Vera")


def test_the_dashboard_counts_every_colour_puts_red_first_and_filters_one(two, staff):
    red, fine = two

    body = staff.get("/staff/exchanges/monitoring/").content.decode()
    only_red = staff.get("/staff/exchanges/monitoring/?state=red").content.decode()
    only_green = staff.get("/staff/exchanges/monitoring/?state=green").content.decode()

    assert "1 overdue, 0 due soon, 1 on track." in body
    assert body.index(red.student.name) < body.index(fine.student.name)
    assert red.student.name in only_red and fine.student.name not in only_red
    assert "1 overdue, 0 due soon, 1 on track." in only_red  # the counts cover every placement
    assert fine.student.name in only_green and red.student.name not in only_green


def test_the_dashboard_orders_each_colour_by_the_students_name(two, staff, springfield_member):
    red, _fine = two
    later = _named(m.placed(springfield_member, slug="zed", email="zed@abroad.example"), "Zora")
    first = _named(m.placed(springfield_member, slug="ada", email="ada@abroad.example"), "Ada")

    body = staff.get("/staff/exchanges/monitoring/?state=red").content.decode()

    names = [world.student.name for world in (first, red, later)]
    assert [body.index(name) for name in names] == sorted(body.index(name) for name in names)


def test_names_with_markup_are_shown_as_text_in_the_long_tables(two, staff):
    red, _fine = two
    red.family.family_name = '<b class="x">Simpson</b>'
    red.family.save()

    for path in (
        "/staff/exchanges/monitoring/",
        "/staff/exchanges/compliance/",
        "/staff/exchanges/placements/",
    ):
        body = staff.get(path).content.decode()

        assert "&lt;b class=&quot;x&quot;&gt;Simpson&lt;/b&gt;" in body, path
        assert '<b class="x">' not in body, path


def test_the_committees_dashboard_filters_by_state_too(two, committee_admin):
    red, fine = two
    path = f"/exchanges/committees/{red.member.slug}/monitoring/?state=red"

    body = committee_admin.get(path).content.decode()

    assert red.student.name in body and fine.student.name not in body


def test_an_unknown_state_shows_every_placement(two, staff):
    body = staff.get("/staff/exchanges/monitoring/?state=purple").content.decode()

    assert all(world.student.name in body for world in two)


def test_the_compliance_page_keeps_the_failing_placements(two, staff, committee_admin):
    red, fine = two

    every = staff.get("/staff/exchanges/compliance/").content.decode()
    failing = staff.get("/staff/exchanges/compliance/?failing=1").content.decode()
    committee = committee_admin.get(
        f"/exchanges/committees/{red.member.slug}/compliance/?failing=1"
    ).content.decode()

    assert red.student.name in every and fine.student.name in every
    assert red.student.name in failing and fine.student.name not in failing
    assert red.student.name in committee and fine.student.name not in committee
    assert "No contact with the student in" in failing


def test_staff_filter_the_monitoring_pages_by_committee(two, staff):
    from tests.factories import MemberFactory

    elsewhere = MemberFactory(name="Shelbyville Twinning Association")

    for path in ("/staff/exchanges/monitoring/", "/staff/exchanges/compliance/"):
        theirs = staff.get(f"{path}?committee={elsewhere.slug}").content.decode()
        ours = staff.get(f"{path}?committee={two[0].member.slug}").content.decode()

        assert two[0].student.name not in theirs
        assert "No placement matches these filters." in theirs
        assert all(world.student.name in ours for world in two)
        assert f'<option value="{two[0].member.slug}"' in ours
        assert f'<option value="{elsewhere.slug}"' not in ours  # it hosts no exchange


@pytest.mark.parametrize(
    "path",
    [
        "/staff/exchanges/monitoring/",
        "/staff/exchanges/compliance/",
        "/staff/exchanges/placements/",
        "/exchanges/committees/{member}/monitoring/",
        "/exchanges/committees/{member}/compliance/",
        "/exchanges/committees/{member}/placements/",
    ],
)
def test_the_lists_show_a_page_at_a_time(two, staff, monkeypatch, path):
    """One placement a page (the page size lowered from 50): each page shows one, and the
    page links keep the filters."""
    monkeypatch.setattr("twinning.core.paging.PAGE_SIZE", 1)
    path = path.format(member=two[0].member.slug)

    # (the committee's list also names accepted students still waiting, below the table)
    first = staff.get(path).content.decode().split("Accepted students waiting")[0]
    second = staff.get(f"{path}?page=2").content.decode().split("Accepted students waiting")[0]

    names = [world.student.name for world in two]
    assert [name in first for name in names].count(True) == 1
    assert [name in second for name in names].count(True) == 1
    assert "Showing 1–1 of 2" in first
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_compliance_page_shows_half_the_lists_page_of_cards(two, staff, monkeypatch):
    """Each placement on the compliance page is a card of seven rules: half as many a page as
    the lists (25 for their 50)."""
    monkeypatch.setattr("twinning.core.paging.PAGE_SIZE", 2)
    names = [world.student.name for world in two]

    placements = staff.get("/staff/exchanges/placements/").content.decode()
    compliance = staff.get("/staff/exchanges/compliance/").content.decode()

    assert all(name in placements for name in names)
    assert [name in compliance for name in names].count(True) == 1
    assert "Showing 1–1 of 2" in compliance


def test_the_csv_exports_every_placement_whatever_the_page(two, staff, monkeypatch):
    monkeypatch.setattr("twinning.core.paging.PAGE_SIZE", 1)
    monkeypatch.setattr("twinning.exchanges.services.compliance.CSV_CHUNK", 1)

    text = staff.get("/staff/exchanges/compliance.csv?failing=1&page=2").content.decode("utf-8-sig")

    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert all(any(world.student.name in line for line in lines) for world in two)


# --- "Failing a rule" in the database agrees with the rules in Python ---------------------------


def _adult_born_by(world):
    from twinning.exchanges.services.compliance import _born_by

    return _born_by(world.season.departure_date)


def _update(model, pk, **values):
    model.objects.filter(pk=pk).update(**values)


def _latest_check(world, result, days):
    from twinning.exchanges.models import BackgroundCheck

    adult = world.family.household.order_by("date_of_birth").first()
    BackgroundCheck.objects.create(
        person=adult,
        checked_on=association_today() + datetime.timedelta(days=days),
        provider="P",
        result=result,
    )


def _start(world, day):
    """The placement starts on `day`, its stored first missing month refreshed as a service
    changing the start does."""
    from twinning.exchanges.services.monitoring import refresh_contact_gap

    _update(Placement, world.placement.pk, starts_on=day)
    refresh_contact_gap(Placement.objects.get(pk=world.placement.pk))


def _visit(world):
    return world.placement.approval.home_visit_id


TODAY = association_today
DAY = datetime.timedelta(days=1)
CHANGES = {
    # name: (what changes, whether a rule then fails)
    "nothing": (lambda w: None, False),
    "an adult without a check": (
        lambda w: w.family.household.create(
            name="Bart", date_of_birth=_adult_born_by(w), relationship="son"
        ),
        True,
    ),
    "a minor on the departure day": (
        lambda w: w.family.household.create(
            name="Lisa", date_of_birth=_adult_born_by(w) + DAY, relationship="daughter"
        ),
        False,
    ),
    "the latest check not clear": (lambda w: _latest_check(w, "not_clear", 1), True),
    "an older check not clear": (lambda w: _latest_check(w, "not_clear", -30), False),
    "a visit after the start": (
        lambda w: _update(HomeVisit, _visit(w), visited_on=w.placement.starts_on + DAY),
        True,
    ),
    "a visit on the start day": (
        lambda w: _update(HomeVisit, _visit(w), visited_on=w.placement.starts_on),
        False,
    ),
    "an unsuitable home": (lambda w: _update(HomeVisit, _visit(w), suitable=False), True),
    "no letter": (lambda w: _update(School, w.school.pk, letter_file=""), True),
    "training expiring today": (
        lambda w: Training.objects.filter(coordinator=w.coordinator).update(expires_on=TODAY()),
        True,
    ),
    "training expiring tomorrow": (
        lambda w: Training.objects.filter(coordinator=w.coordinator).update(
            expires_on=TODAY() + DAY
        ),
        False,
    ),
    "training completed tomorrow": (
        lambda w: Training.objects.filter(coordinator=w.coordinator).update(
            completed_on=TODAY() + DAY
        ),
        True,
    ),
    "arrived without the orientation after": (
        lambda w: _update(Student, w.student.pk, status=Student.Status.ARRIVED),
        True,
    ),
    "overdue contacts": (
        lambda w: (
            _start(w, TODAY() - 40 * DAY)
            or _update(HomeVisit, _visit(w), visited_on=TODAY() - 60 * DAY)
        ),
        True,
    ),
    "a report owed": (lambda w: m.incident(w.student), True),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_database_finds_the_placements_failing_a_rule_as_the_rules_do(
    springfield_member, change
):
    from twinning.exchanges.services.compliance import failing_placements

    soon = association_today() + datetime.timedelta(days=10)
    world = m.placed(springfield_member, starts_on=soon)
    placement.record_orientation(
        student=world.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
    )
    make, fails = CHANGES[change]
    make(world)

    in_python = {
        p.pk
        for p, found in compliance_rows(Placement.objects.all())
        if not all(c.passed for c in found)
    }
    in_sql = set(failing_placements(Placement.objects.all()).values_list("pk", flat=True))
    cached = failing_ids(Placement.objects.all())

    assert in_sql == in_python == set(cached) == ({world.placement.pk} if fails else set())


def test_the_failing_ids_follow_the_data_though_their_sql_is_kept(springfield_member):
    """`failing_ids` compiles its query once per scope and day: what it returns is read anew
    on every call, and each scope (staff's, a committee's) keeps its own query."""
    soon = association_today() + datetime.timedelta(days=10)
    world = m.placed(springfield_member, starts_on=soon)
    placement.record_orientation(
        student=world.student, kind="pre_arrival", held_on=association_today(), by=SYSTEM
    )
    everyone = Placement.objects.all()
    theirs = Placement.objects.for_host(springfield_member)
    elsewhere = Placement.objects.for_host(MemberFactory(name="Shelbyville"))

    assert failing_ids(everyone) == failing_ids(theirs) == []
    m.incident(world.student)  # a mandatory report now owed
    assert failing_ids(everyone) == failing_ids(theirs) == [world.placement.pk]
    assert failing_ids(elsewhere) == []
    Incident.objects.filter(student=world.student).update(
        reported_on=association_today(), report_reference="DOS-1"
    )
    assert failing_ids(everyone) == []
