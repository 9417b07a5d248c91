"""Review on the engine, the funding table, decisions held until published, letters held in
the outbox, grants with amounts per side, tranches gated by approved reports, reminders once
each, and closeout only after the final reports."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.grants.helpers import draft, funded, pair_world, submitted
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.core.models import ActivityLog
from twinning.grants.models import Application, Grant, Report, ReportReminder
from twinning.grants.pdf import render_agreement
from twinning.grants.services import (
    approve_report,
    close_grant,
    decide_application,
    open_review,
    pay_tranche,
    publish_decisions,
    return_report,
    send_report_reminders,
    sign_application,
    submit_application,
    submit_report,
    update_side,
)
from twinning.grants.services.decisions import funding_table, requested_amounts
from twinning.outbox.models import OutboxMessage
from twinning.review.interface import current_decisions, items_for

pytestmark = pytest.mark.django_db


def test_open_review_puts_submitted_applications_on_the_engine_with_conflict_keys():
    world = pair_world()
    application = submitted(world)

    round = open_review(call=world.call, by=SYSTEM)

    item = items_for(round, [application])[application.pk]
    assert set(item.conflict_keys) >= {
        f"community:{world.lead_place.pk}",
        f"community:{world.partner_place.pk}",
        f"member:{world.lead_member.pk}",
        f"member:{world.partner_member.pk}",
    }


def test_the_funding_table_shows_the_running_total_under_the_budget():
    world = pair_world()
    submitted(world)
    open_review(call=world.call, by=SYSTEM)

    table, budget = funding_table(world.call)

    assert budget == Decimal("300000")
    assert [(row.requested, row.placed.funded, row.placed.running_total) for row in table] == [
        (Decimal("28320.00"), True, Decimal("28320.00"))
    ]


def test_the_funding_table_asks_what_the_application_asks_each_side_rounded_half_up():
    world = pair_world()
    application = draft(world)
    _lead, other = list(application.sides.order_by("-is_lead", "pk"))
    # 1,950 KES at 0.0077 is 15.015 USD: half a cent, rounded up as the application page does
    update_side(
        side=other,
        currency="KES",
        participants=20,
        participant_plan="Youth",
        lines=[{"description": "Kiosk", "cost": Decimal("2000"), "requested": Decimal("1950")}],
        by=world.partner_admin,
    )
    lead, other = list(application.sides.order_by("-is_lead", "pk"))
    sign_application(side=lead, by=world.lead_admin)
    sign_application(side=other, by=world.partner_admin)
    submit_application(application=application, by=world.lead_admin)
    open_review(call=world.call, by=SYSTEM)

    table, _budget = funding_table(world.call)

    assert [row.requested for row in table] == [Decimal("16015.02")]
    assert application.requested_total() == Decimal("16015.02")


def test_the_sums_read_for_an_application_are_read_again_once_its_budget_changes():
    world = pair_world()
    application = draft(world)
    asked = requested_amounts(world.call, {application.pk: application.content_hash})
    lead, _other = list(application.sides.order_by("-is_lead", "pk"))
    lines = [{"description": "Travel", "cost": Decimal("20000"), "requested": Decimal("9000")}]
    update_side(
        side=lead,
        currency="USD",
        participants=8,
        participant_plan="Engineers",
        lines=lines,
        by=world.lead_admin,
    )
    application.refresh_from_db()

    again = requested_amounts(world.call, {application.pk: application.content_hash})

    assert asked == {application.pk: Decimal("28320.00")}
    assert again == {application.pk: Decimal("21320.00")} == requested_amounts(world.call)


def test_a_partial_award_needs_a_reason_and_is_held_until_published():
    world = pair_world()
    application = submitted(world)
    open_review(call=world.call, by=SYSTEM)

    with pytest.raises(ValidationError):
        decide_application(application=application, funded=True, amount=Decimal(20000), by=SYSTEM)
    decide_application(
        application=application,
        funded=True,
        amount=Decimal(20000),
        reason="Travel trimmed",
        by=SYSTEM,
    )

    application.refresh_from_db()
    assert (application.state, application.awarded_amount) == ("submitted", Decimal("20000.00"))
    assert not Grant.objects.exists() and not OutboxMessage.objects.exists()
    assert [d.outcome for d in current_decisions(world.call.review_round).values()] == ["winner"]


def test_an_award_beyond_the_budget_left_is_refused():
    world = pair_world()
    program = world.call.program
    program.budget = Decimal(10000)
    program.save()
    application = submitted(world)

    with pytest.raises(ValidationError):
        decide_application(application=application, funded=True, by=SYSTEM)


def test_publishing_creates_the_grant_and_holds_the_letters_for_staff():
    world = pair_world()

    application = funded(world)

    grant = application.grant
    assert application.state == Application.State.FUNDED
    assert grant.amount == Decimal("28320.00")
    assert sorted(s.awarded_amount for s in application.sides.all()) == [
        Decimal("12320.00"),
        Decimal("16000.00"),
    ]
    assert [t.amount for t in grant.tranches.all()] == [
        Decimal("14160.00"),
        Decimal("8496.00"),
        Decimal("5664.00"),
    ]
    assert grant.reports.count() == 4
    letters = OutboxMessage.objects.filter(template="grants.decision_funded")
    assert {m.to for m in letters} == {"lead@example.org", "partner@example.org"}
    assert all(m.state == OutboxMessage.State.HELD for m in letters)
    with pytest.raises(ValidationError):
        publish_decisions(call=world.call, by=SYSTEM)


def test_publishing_waits_for_every_decision():
    world = pair_world()
    submitted(world)

    with pytest.raises(ValidationError):
        publish_decisions(call=world.call, by=SYSTEM)


def test_the_agreement_names_every_party_and_amount():
    world = pair_world()
    grant = funded(world).grant

    data = render_agreement(grant)

    assert data.startswith(b"%PDF")


def _report(grant, kind, place):
    return grant.reports.get(kind=kind, side__community=place)


def _write(report, admin):
    line = report.side.lines.first()
    return submit_report(
        report=report,
        narrative="We built it",
        participants=12,
        outcomes="A kiosk",
        spending={line.pk: Decimal(100)},
        by=admin,
    )


def test_a_tranche_is_payable_only_after_every_sides_report_is_approved():
    world = pair_world()
    grant = funded(world).grant
    first, second, _third = grant.tranches.all()
    pay_tranche(tranche=first, by=SYSTEM)

    with pytest.raises(ValidationError):
        pay_tranche(tranche=second, by=SYSTEM)
    lead_report = _write(_report(grant, "interim", world.lead_place), world.lead_admin)
    approve_report(report=lead_report, by=SYSTEM)
    with pytest.raises(ValidationError):
        pay_tranche(tranche=second, by=SYSTEM)  # the partner's report is still due
    partner_report = _write(_report(grant, "interim", world.partner_place), world.partner_admin)
    approve_report(report=partner_report, by=SYSTEM)
    pay_tranche(tranche=second, by=SYSTEM)

    second.refresh_from_db()
    assert second.paid_at is not None
    assert ActivityLog.objects.filter(action="grants.tranche.paid").count() == 2


def test_a_returned_report_is_written_again_and_its_side_told():
    world = pair_world()
    grant = funded(world).grant
    report = _write(_report(grant, "interim", world.lead_place), world.lead_admin)

    return_report(report=report, comment="Add receipts", by=SYSTEM)

    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    assert OutboxMessage.objects.filter(
        template="grants.report_returned", to="lead@example.org"
    ).exists()
    assert _write(report, world.lead_admin).state == Report.State.SUBMITTED


def test_closeout_only_after_every_final_report():
    world = pair_world()
    grant = funded(world).grant

    with pytest.raises(ValidationError):
        close_grant(grant=grant, by=SYSTEM)
    for place, admin in (
        (world.lead_place, world.lead_admin),
        (world.partner_place, world.partner_admin),
    ):
        approve_report(report=_write(_report(grant, "final", place), admin), by=SYSTEM)
    close_grant(grant=grant, by=SYSTEM)

    grant.refresh_from_db()
    assert grant.state == Grant.State.CLOSED


def test_reminders_at_30_and_7_days_and_overdue_each_once():
    world = pair_world()
    grant = funded(world).grant
    due = _report(grant, "interim", world.lead_place).due_on
    Report.objects.exclude(pk=_report(grant, "interim", world.lead_place).pk).update(
        state=Report.State.APPROVED
    )

    sent = [
        send_report_reminders(today=due - datetime.timedelta(days=days), by=SYSTEM)
        for days in (40, 30, 29, 7, 3, -1, -5)
    ]

    assert sent == [0, 1, 0, 1, 0, 1, 0]
    assert sorted(ReportReminder.objects.values_list("kind", flat=True)) == ["30", "7", "overdue"]
    assert OutboxMessage.objects.filter(template="grants.report_reminder").count() == 3


def test_a_receipt_goes_through_the_upload_pipeline_and_only_the_side_reads_it(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from twinning.grants.services import add_receipt

    world = pair_world()
    grant = funded(world).grant
    report = _report(grant, "interim", world.lead_place)
    upload = SimpleUploadedFile("bus tickets.pdf", render_agreement(grant), "application/pdf")

    receipt = add_receipt(report=report, upload=upload, by=world.lead_admin)

    url = reverse("grants:receipt_file", kwargs={"pk": report.pk, "receipt_pk": receipt.pk})
    lead = Client()
    lead.force_login(world.lead_admin)
    partner = Client()
    partner.force_login(world.partner_admin)
    response = lead.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert partner.get(url).status_code == 404
    assert staff.get(url).status_code == 200


def test_the_scheduled_command_sends_due_reminders():
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    world = pair_world()
    grant = funded(world).grant
    grant.reports.update(due_on=association_today() - datetime.timedelta(days=1))
    out = StringIO()

    call_command("grants_report_reminders", stdout=out)

    assert "4 reminder(s) sent" in out.getvalue()
    assert "grants_report_reminders" in settings.TWINNING_SCHEDULE
