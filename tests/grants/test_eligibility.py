"""The program's rules, each checked and explained: shape and required countries, regions,
the partnership (recorded, active), good standing, the ceiling and co-financing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.grants.helpers import (
    committee,
    community,
    draft,
    open_call,
    pair_world,
    partner,
    trio_program,
)
from twinning.grants.eligibility import eligibility, is_eligible
from twinning.grants.services import (
    sign_application,
    start_application,
    submit_application,
    update_side,
)
from twinning.network.models import Partnership

pytestmark = pytest.mark.django_db


def _failed(application):
    return {rule.rule: rule.text for rule in eligibility(application) if not rule.ok}


def test_a_complete_pair_application_meets_every_rule():
    world = pair_world()

    application = draft(world)

    assert _failed(application) == {}
    assert is_eligible(application)


def test_a_dormant_partnership_is_explained():
    world = pair_world()
    Partnership.objects.update(status=Partnership.Status.DORMANT)

    failed = _failed(draft(world))

    assert "not active" in failed["partnership"]


def test_a_committee_not_in_good_standing_is_named_with_the_reason():
    world = pair_world()
    world.partner_member.memberships.all().delete()

    failed = _failed(draft(world))

    assert "Nakuru Sister Cities is not in good standing" in failed["good_standing"]


def test_a_partner_outside_the_eligible_regions_is_explained():
    world = pair_world()
    program = world.call.program
    program.eligible_regions = ["asia"]
    program.save()

    failed = _failed(draft(world))

    assert "asia" in failed["eligible_regions"]


def test_the_ceiling_and_co_financing_are_checked_in_the_programs_currency():
    world = pair_world()
    application = draft(world)
    lead = application.sides.get(is_lead=True)

    update_side(
        side=lead,
        currency="USD",
        participants=1,
        participant_plan="",
        lines=[{"description": "All", "cost": Decimal("120000"), "requested": Decimal("110000")}],
        by=world.lead_admin,
    )

    failed = _failed(application)
    assert "122320.00" in failed["maximum"]  # 110,000 + 12,320 converted
    assert "cofinancing" in failed


def test_submission_is_refused_with_the_failed_rules():
    world = pair_world()
    Partnership.objects.update(status=Partnership.Status.ENDED)
    application = draft(world)
    for side, admin in zip(
        application.sides.order_by("-is_lead", "pk"),
        [world.lead_admin, world.partner_admin],
        strict=True,
    ):
        sign_application(side=side, by=admin)

    with pytest.raises(ValidationError) as error:
        submit_application(application=application, by=world.lead_admin)

    assert "not active" in str(error.value)


def test_a_trio_needs_one_community_from_each_required_country():
    us, ca, ca2 = community("El Paso", "US"), community("Calgary", "CA"), community("Quebec", "CA")
    partner(us, ca)
    partner(us, ca2)
    member, admin = committee(us, "elpaso@example.org")
    call = open_call(trio_program(), rates={"CAD": Decimal("0.73")})

    application = start_application(
        call=call, member=member, community=us, partners=[ca, ca2], title="Youth", by=admin
    )

    failed = _failed(application)
    assert "CA, MX, US" in failed["countries"] and "CA, CA, US" in failed["countries"]


def test_a_trio_with_a_wrong_number_of_partners_cannot_start():
    us, ca = community("El Paso", "US"), community("Calgary", "CA")
    member, admin = committee(us, "elpaso@example.org")
    call = open_call(trio_program())

    with pytest.raises(ValidationError):
        start_application(
            call=call, member=member, community=us, partners=[ca], title="x", by=admin
        )
