"""Incidents (issue 10 section 3): which need a mandatory report and by when, staff closing the
report, who reads them (every read logged), the overdue alerts, and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.welfare import reauthenticated, stale, welfare_staff
from tests.conftest import _client_for
from tests.exchanges import helpers as h
from tests.exchanges import monitoring_helpers as m
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.dates import association_today
from twinning.core.models import ActivityLog
from twinning.exchanges.models import Incident
from twinning.exchanges.services import incidents as services
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
T, S = Incident.Type, Incident.Severity


@pytest.mark.parametrize(
    ("type", "severity", "expected"),
    [
        (T.SEXUAL_MISCONDUCT, S.MINOR, True),
        (T.ARREST, S.MINOR, True),
        (T.RUNAWAY, S.MINOR, True),
        (T.DEATH, S.CRITICAL, True),
        (T.HOSPITALISATION, S.MINOR, False),
        (T.HOSPITALISATION, S.SERIOUS, True),
        (T.SERIOUS_ILLNESS, S.SERIOUS, True),
        (T.NATURAL_DISASTER, S.MINOR, False),
        (T.OTHER, S.SERIOUS, False),
        (T.OTHER, S.CRITICAL, True),
    ],
)
def test_which_incidents_need_a_mandatory_report(type, severity, expected):
    assert services.needs_mandatory_report(type, severity) is expected


@pytest.fixture
def placed(springfield_member):
    return m.placed(springfield_member)


def test_an_allegation_is_due_in_24_hours_by_default(placed):
    before = timezone.now()

    incident = m.incident(placed.student, type=T.SEXUAL_MISCONDUCT, severity=S.MINOR)

    assert incident.requires_mandatory_report
    due = incident.report_due_at - before
    assert datetime.timedelta(hours=24) <= due < datetime.timedelta(hours=24, minutes=1)
    assert incident.placement == placed.placement


def test_the_deadline_follows_the_setting(placed, settings):
    settings.EXCHANGES_INCIDENT_REPORT_HOURS = {T.HOSPITALISATION: 6}
    before = timezone.now()

    incident = m.incident(placed.student)

    assert incident.report_due_at - before < datetime.timedelta(hours=6, minutes=1)


def test_a_minor_incident_owes_no_report(placed):
    incident = m.incident(placed.student, type=T.OTHER, severity=S.MINOR)

    assert not incident.requires_mandatory_report
    assert incident.report_due_at is None


def test_an_incident_in_the_future_is_refused(placed):
    with pytest.raises(ValidationError, match="future"):
        m.incident(placed.student, occurred_on=association_today() + datetime.timedelta(days=1))
    assert not Incident.objects.exists()


def test_the_exchange_coordinator_and_welfare_staff_are_told_without_details(placed):
    exchange = h.coordinator(placed.member, email="xc@springfield.example", exchange=True)
    welfare = welfare_staff()

    m.incident(placed.student)

    mails = OutboxMessage.objects.filter(template="exchanges.incident_reported")
    assert sorted(mails.values_list("to", flat=True)) == sorted(
        [exchange.user.email, welfare.email]
    )
    for mail in mails:
        assert m.CANARY_INCIDENT not in mail.body
        assert "Hospitalisation" not in mail.body + mail.subject


def test_the_committee_admin_and_local_coordinator_may_record_but_not_read(
    placed, committee_admin_user
):
    incident = m.incident(placed.student)
    for user in (committee_admin_user, placed.coordinator.user):
        with pytest.raises(NotAllowed):
            services.read_incident(incident=incident, by=user)
    m.incident(placed.student)  # recorded by SYSTEM; the managers' own is tested on the page


def test_the_family_and_another_committee_may_neither_record_nor_read(
    placed, other_committee_admin_user
):
    incident = m.incident(placed.student)
    for user in (placed.family.user, other_committee_admin_user, placed.student.person.user):
        with pytest.raises(NotAllowed):
            services.report_incident(
                student=placed.student,
                type=T.OTHER,
                severity=S.MINOR,
                occurred_on=association_today(),
                description="x",
                by=user,
            )
        with pytest.raises(NotAllowed):
            services.read_incident(incident=incident, by=user)


def test_each_read_is_logged_without_the_values(placed):
    incident = m.incident(placed.student)
    reader = welfare_staff()

    services.read_incident(incident=incident, by=reader)

    entry = ActivityLog.objects.get(action="exchanges.incident.read")
    assert entry.data["purpose"] == "exchange care"
    assert "description" in entry.data["fields"]
    assert m.CANARY_INCIDENT not in str(entry.data)


def test_welfare_staff_close_the_report_with_the_reference(placed):
    incident = m.incident(placed.student)

    services.close_mandatory_report(
        incident=incident,
        reported_on=association_today(),
        reference="DOS-2027-11",
        by=welfare_staff(),
    )

    incident.refresh_from_db()
    assert (incident.reported_on, incident.report_reference) == (association_today(), "DOS-2027-11")
    assert not incident.report_open


def test_plain_staff_and_the_exchange_coordinator_may_not_close_the_report(placed, staff_user):
    from tests.conftest import verified

    incident = m.incident(placed.student)
    exchange = h.coordinator(placed.member, email="xc@springfield.example", exchange=True)
    for user in (verified(staff_user), exchange.user):
        with pytest.raises(NotAllowed):
            services.close_mandatory_report(
                incident=incident, reported_on=association_today(), reference="R", by=user
            )


def test_a_report_without_reference_or_before_the_incident_is_refused(placed):
    incident = m.incident(placed.student)
    reader = welfare_staff()

    with pytest.raises(ValidationError, match="reference"):
        services.close_mandatory_report(
            incident=incident, reported_on=association_today(), reference=" ", by=reader
        )
    with pytest.raises(ValidationError, match="precede"):
        services.close_mandatory_report(
            incident=incident,
            reported_on=association_today() - datetime.timedelta(days=1),
            reference="R",
            by=reader,
        )
    incident.refresh_from_db()
    assert incident.report_open


def test_an_incident_closes_only_after_its_report(placed):
    incident = m.incident(placed.student)
    reader = welfare_staff()

    with pytest.raises(ValidationError, match="report to the Department"):
        services.close_incident(incident=incident, by=reader)
    services.close_mandatory_report(
        incident=incident, reported_on=association_today(), reference="R", by=reader
    )
    services.close_incident(incident=incident, by=reader)

    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED


def test_the_database_refuses_a_closed_incident_with_its_report_owed(placed):
    from django.db import IntegrityError, transaction

    incident = m.incident(placed.student)

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(status="closed")


def test_welfare_staff_are_emailed_once_when_a_report_is_overdue(placed, time_machine):
    m.incident(placed.student)
    reader = welfare_staff()
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=73))

    first, again = services.send_report_alerts(by=SYSTEM), services.send_report_alerts(by=SYSTEM)

    assert (first, again) == (1, 0)
    mail = OutboxMessage.objects.get(template="exchanges.incident_report_overdue")
    assert mail.to == reader.email
    assert m.CANARY_INCIDENT not in mail.body


def test_no_alert_before_the_deadline_or_once_reported(placed, time_machine):
    incident = m.incident(placed.student)
    assert services.send_report_alerts(by=SYSTEM) == 0
    services.close_mandatory_report(
        incident=incident, reported_on=association_today(), reference="R", by=welfare_staff()
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5))

    assert services.send_report_alerts(by=SYSTEM) == 0


def test_the_report_alerts_run_hourly_from_the_schedule(settings):
    from django.core.management import call_command

    assert settings.TWINNING_SCHEDULE["exchanges_report_alerts"] == 3600
    call_command("exchanges_report_alerts")


# --- Pages ------------------------------------------------------------------------------------


def _welfare_client():
    return reauthenticated(_client_for(welfare_staff(), verified=True))


def test_the_committee_admin_records_an_incident_and_is_told_who_reads_it(placed, committee_admin):
    response = committee_admin.post(
        f"/exchanges/students/{placed.student.pk}/incidents/new/",
        {
            "type": "runaway",
            "severity": "serious",
            "occurred_on": association_today().isoformat(),
            "description": "Did not come home.",
        },
        follow=True,
    )

    assert "the exchange coordinator and welfare staff are told" in response.content.decode()
    assert "Did not come home." not in response.content.decode()
    assert Incident.objects.get().requires_mandatory_report


def test_an_incomplete_incident_form_says_what_is_missing(placed, committee_admin):
    response = committee_admin.post(
        f"/exchanges/students/{placed.student.pk}/incidents/new/", {"type": "runaway"}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Incident.objects.exists()


def test_staff_see_an_overdue_report_in_red_with_words(placed, time_machine):
    m.incident(placed.student)
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=80))

    body = _welfare_client().get("/staff/exchanges/incidents/").content.decode()

    assert "badge--danger" in body
    assert "overdue since" in body
    assert "1 report to the Department of State is overdue." in body


def test_welfare_staff_record_the_report_on_the_incident_page(placed):
    incident = m.incident(placed.student)
    client = _welfare_client()

    response = client.post(
        f"/exchanges/incidents/{incident.pk}/report/",
        {"reported_on": association_today().isoformat(), "reference": "DOS-7"},
        follow=True,
    )

    assert "The report to the Department of State is recorded." in response.content.decode()
    assert "DOS-7" in response.content.decode()


def test_a_stale_session_is_sent_to_confirm_before_the_incident(placed):
    incident = m.incident(placed.student)
    client = stale(_client_for(welfare_staff(), verified=True))

    response = client.get(f"/exchanges/incidents/{incident.pk}/")

    assert response.status_code == 302
    assert "/reauth" in response["Location"] or "confirm" in response["Location"]


def test_the_exchange_coordinator_reads_the_committees_incidents(placed):
    incident = m.incident(placed.student)
    exchange = h.coordinator(placed.member, email="xc@springfield.example", exchange=True)
    client = reauthenticated(_client_for(exchange.user))

    listed = client.get(f"/exchanges/committees/{placed.member.slug}/incidents/")
    page = client.get(f"/exchanges/incidents/{incident.pk}/")

    assert f"/exchanges/incidents/{incident.pk}/" in listed.content.decode()
    assert m.CANARY_INCIDENT in page.content.decode()


def test_the_incident_pages_are_refused_to_everyone_else(placed, committee_admin, staff):
    incident = m.incident(placed.student)
    paths = [
        f"/exchanges/committees/{placed.member.slug}/incidents/",
        f"/exchanges/incidents/{incident.pk}/",
    ]
    clients = {
        "committee_admin": reauthenticated(committee_admin),
        "local_coordinator": reauthenticated(_client_for(placed.coordinator.user)),
        "family": _client_for(placed.family.user),
        "staff_without_welfare": reauthenticated(staff),
        "someone": _client_for(UserFactory()),
    }

    statuses = {(role, p): c.get(p).status_code for role, c in clients.items() for p in paths}

    assert set(statuses.values()) == {404}
