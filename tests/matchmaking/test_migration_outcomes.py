"""Migrations 0004 and 0005: a recorded exchange's indicators move onto its activity report,
and a recorded exchange that had none (the two communities are not partners) gets a verified
activity between the two communities. Built at the old state with the historical models,
migrated, then read with today's models (SQLite, and PostgreSQL with DATABASE_URL)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory
from twinning.activities.models import Activity
from twinning.matchmaking.models import ExpertiseMatch

OLD = [("matchmaking", "0003_expertise_exchange")]
NEW = [("matchmaking", "0005_expertise_withdrawal_and_decline")]


def _migrate(matchmaking):
    """Migrate matchmaking to `matchmaking` (every other app at its latest); that state's apps."""
    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "matchmaking"]
    targets = [*leaves, *matchmaking]
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def _recorded(old, *, request_member, request_community, offer_member, offer_community, **kw):
    offer = old.get_model("matchmaking", "ExpertiseOffer").objects.create(
        member_id=request_member.pk if offer_member is None else offer_member.pk,
        community_id=offer_community.pk,
        field="water",
        summary="We halved our losses.",
        forms=["visit"],
    )
    request = old.get_model("matchmaking", "ExpertiseRequest").objects.create(
        member_id=request_member.pk,
        community_id=request_community.pk,
        via="account",
        state="matched",
        field="water",
        problem="Leaks.",
    )
    return old.get_model("matchmaking", "ExpertiseMatch").objects.create(
        request_id=request.pk,
        offer_id=offer.pk,
        form="visit",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
        recorded_at=timezone.now(),
        outcome="A plan.",
        **kw,
    )


@pytest.mark.django_db(transaction=True)
def test_recorded_exchanges_keep_their_indicators_in_activities():
    springfield, kragujevac, portland = (
        CommunityFactory(name=name) for name in ("Springfield", "Kragujevac", "Portland")
    )
    springfield_member = MemberFactory(communities=[springfield])
    portland_member = MemberFactory(communities=[portland])
    link = PartnershipFactory(community_a=springfield, community_b=kragujevac)
    reported = ActivityFactory(
        member=springfield_member,
        partnerships=[link],
        state="verified",
        sector="municipal",
        kind="water",
    )
    old = _migrate(OLD)
    try:
        with_report = _recorded(
            old,
            request_member=springfield_member,
            request_community=springfield,
            offer_member=springfield_member,
            offer_community=kragujevac,
            activity_id=reported.pk,
            policies_adopted=2,
            people_trained=14,
        )
        without = _recorded(
            old,
            request_member=springfield_member,
            request_community=springfield,
            offer_member=portland_member,
            offer_community=portland,
            policies_adopted=1,
            people_trained=3,
        )
    finally:
        _migrate(NEW)

    reported.refresh_from_db()
    assert (reported.policies_adopted, reported.people_trained) == (2, 14)
    assert ExpertiseMatch.objects.get(pk=with_report.pk).activity == reported
    made = ExpertiseMatch.objects.get(pk=without.pk).activity
    assert (made.member, made.community, made.counterpart, made.state) == (
        springfield_member,
        springfield,
        portland,
        Activity.State.VERIFIED,
    )
    assert (made.policies_adopted, made.people_trained, made.visitors_over_30) == (1, 3, 3)
    assert (made.sector, made.kind, made.follow_ups) == ("municipal", "water", "A plan.")
