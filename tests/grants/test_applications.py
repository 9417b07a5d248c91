"""Joint applications: starting, per-side budgets converted at the call's rate, co-signing
(signed in and through the partner's single-use link), re-signing after any change, and
submission only once every side signed and every rule holds."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.grants.helpers import draft, pair_world, submitted
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.grants.models import Application
from twinning.grants.services import (
    send_signature_link,
    sign_application,
    sign_with_token,
    submit_application,
    update_application,
    update_side,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _sides(application):
    return list(application.sides.order_by("-is_lead", "pk"))


def test_each_side_budgets_in_its_own_currency_converted_at_the_calls_rate():
    world = pair_world()

    application = draft(world)

    lead, other = _sides(application)
    assert lead.requested_converted() == Decimal("16000.00")
    assert other.currency == "KES"
    assert other.requested_converted() == Decimal("12320.00")  # 1,600,000 x 0.0077
    assert application.requested_total() == Decimal("28320.00")


def test_a_currency_without_a_rate_is_refused_with_the_rates_there_are():
    world = pair_world()
    application = draft(world)
    lead = _sides(application)[0]

    with pytest.raises(ValidationError) as error:
        update_side(
            side=lead,
            currency="JPY",
            participants=1,
            participant_plan="",
            lines=[],
            by=world.lead_admin,
        )

    assert "JPY" in str(error.value) and "KES" in str(error.value)


def test_submission_is_refused_until_every_side_has_signed():
    world = pair_world()
    application = draft(world)
    lead, _other = _sides(application)
    sign_application(side=lead, by=world.lead_admin)

    with pytest.raises(ValidationError) as error:
        submit_application(application=application, by=world.lead_admin)

    assert "Nakuru" in str(error.value)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_both_sides_sign_then_the_lead_submits():
    world = pair_world()

    application = submitted(world)

    assert application.state == Application.State.SUBMITTED
    assert ActivityLog.objects.filter(action="grants.application.submitted").count() == 1
    assert ActivityLog.objects.filter(action="grants.side.signed").count() == 2


def test_a_change_by_one_side_asks_the_other_to_sign_again():
    world = pair_world()
    application = draft(world)
    lead, other = _sides(application)
    sign_application(side=lead, by=world.lead_admin)
    sign_application(side=other, by=world.partner_admin)

    update_side(
        side=other,
        currency="KES",
        participants=25,
        participant_plan="Youth and teachers",
        lines=[{"description": "Water kiosk", "cost": "2000000", "requested": "1500000"}],
        by=world.partner_admin,
    )

    application.refresh_from_db()
    lead, other = _sides(application)
    assert not lead.has_signed(application.content_hash)
    assert not other.has_signed(application.content_hash)
    with pytest.raises(ValidationError):
        submit_application(application=application, by=world.lead_admin)
    sign_application(side=lead, by=world.lead_admin)
    sign_application(side=other, by=world.partner_admin)
    assert submit_application(application=application, by=world.lead_admin).state == "submitted"


def test_the_leads_text_change_also_voids_signatures():
    world = pair_world()
    application = draft(world)
    for side, admin in zip(
        _sides(application), [world.lead_admin, world.partner_admin], strict=True
    ):
        sign_application(side=side, by=admin)

    update_application(
        application=application,
        title="Clean water",
        theme="",
        summary="New plan",
        answers={},
        by=world.lead_admin,
    )

    application.refresh_from_db()
    assert [s.has_signed(application.content_hash) for s in _sides(application)] == [False, False]


def test_a_partner_without_an_account_signs_through_its_single_use_link():
    world = pair_world(partner_has_account=False)
    application = draft(world)
    lead, other = _sides(application)
    sign_application(side=lead, by=world.lead_admin)

    send_signature_link(side=other, by=world.lead_admin)

    message = OutboxMessage.objects.get(to="wanjiru@example.org")
    token = message.body.split("/grants/sign/")[1].split("/")[0]
    sign_with_token(token=token, signer_name="Wanjiru K.", content_hash=application.content_hash)
    other.refresh_from_db()
    assert other.has_signed(application.content_hash) and other.signed_via == "link"
    with pytest.raises(NotAllowed):  # single use
        sign_with_token(token=token, signer_name="Again", content_hash=application.content_hash)
    assert submit_application(application=application, by=world.lead_admin).state == "submitted"


def test_a_link_signature_of_a_version_that_changed_meanwhile_is_refused():
    world = pair_world(partner_has_account=False)
    application = draft(world)
    other = _sides(application)[1]
    send_signature_link(side=other, by=world.lead_admin)
    token = OutboxMessage.objects.get().body.split("/grants/sign/")[1].split("/")[0]
    seen = application.content_hash
    update_application(
        application=application,
        title="Changed",
        theme="",
        summary="",
        answers={},
        by=world.lead_admin,
    )

    with pytest.raises(ValidationError):
        sign_with_token(token=token, signer_name="Wanjiru", content_hash=seen)

    other.refresh_from_db()
    assert other.signed_at is None


def test_a_partner_admin_may_not_change_the_leads_side_or_text():
    world = pair_world()
    application = draft(world)
    lead = _sides(application)[0]

    with pytest.raises(NotAllowed):
        update_side(
            side=lead,
            currency="USD",
            participants=1,
            participant_plan="",
            lines=[],
            by=world.partner_admin,
        )
    with pytest.raises(NotAllowed):
        update_application(
            application=application,
            title="x",
            theme="",
            summary="",
            answers={},
            by=world.partner_admin,
        )
    with pytest.raises(NotAllowed):
        sign_application(side=lead, by=world.partner_admin)


def test_a_submitted_application_no_longer_changes():
    world = pair_world()
    application = submitted(world)

    with pytest.raises(ValidationError):
        update_application(
            application=application,
            title="x",
            theme="",
            summary="",
            answers={},
            by=world.lead_admin,
        )
