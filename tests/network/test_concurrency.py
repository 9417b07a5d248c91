"""Concurrent writers lose nothing and create no duplicates (CONC-7 on SQLite with
IMMEDIATE transactions; the same test on PostgreSQL in .ci/run)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import CommunityFactory, MemberFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.network.models import Partnership, PartnershipProposal, PartnershipStatusChange
from twinning.network.services import propose_partnership, record_partnership

WRITERS = 8


def _race(target, count: int) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            target(i)
            outcome = "created"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except Exception as error:  # any other failure is what this test counts
            outcome = f"failed: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _same_pair_race():
    one, other = CommunityFactory(), CommunityFactory()

    outcomes = _race(
        lambda i: record_partnership(
            community=one if i % 2 else other, partner=other if i % 2 else one, by=SYSTEM
        ),
        WRITERS,
    )

    return one, other, outcomes


def _assert_exactly_one(outcomes):
    assert outcomes.count("created") == 1, outcomes
    assert all(o.endswith("are already partners.") for o in outcomes if o != "created"), outcomes
    assert Partnership.objects.count() == 1
    assert PartnershipStatusChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_g7_concurrent_records_of_one_pair_on_sqlite_create_exactly_one():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test below")

    _one, _other, outcomes = _same_pair_race()

    _assert_exactly_one(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_g_concurrent_records_of_one_pair_on_postgresql_create_exactly_one():
    assert connection.vendor == "postgresql"

    _one, _other, outcomes = _same_pair_race()

    _assert_exactly_one(outcomes)


@pytest.mark.django_db(transaction=True)
def test_g7_concurrent_records_of_different_pairs_all_succeed():
    hub = CommunityFactory()
    partners = [CommunityFactory() for _ in range(WRITERS)]

    outcomes = _race(
        lambda i: record_partnership(community=hub, partner=partners[i], by=SYSTEM), WRITERS
    )

    assert outcomes == ["created"] * WRITERS
    assert Partnership.objects.count() == WRITERS


PROPOSALS_AT_ONCE = 20


def _same_proposal_race():
    """Twenty copies of one request sent at once, half by each side of the pair (A-B and
    B-A are the same pair)."""
    one, other = CommunityFactory(), CommunityFactory()
    sides = []
    for community in (one, other):
        member = MemberFactory(communities=[community])
        admin = UserFactory()
        member.admins.add(admin)
        sides.append((member, community, admin))

    def propose(i: int) -> None:
        member, community, admin = sides[i % 2]
        propose_partnership(
            member=member,
            community=community,
            partner=other if community == one else one,
            note=f"copy {i}",
            by=admin,
        )

    return _race(propose, PROPOSALS_AT_ONCE)


def _assert_one_open_proposal(outcomes):
    assert outcomes.count("created") == 1, outcomes
    refusals = [o for o in outcomes if o != "created"]
    assert refusals == [
        "refused: A request about these two communities is already waiting for staff review."
    ] * (PROPOSALS_AT_ONCE - 1)
    assert PartnershipProposal.objects.filter(state="pending").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_conc_twenty_identical_proposals_at_once_on_postgresql_leave_one_open():
    assert connection.vendor == "postgresql"

    _assert_one_open_proposal(_same_proposal_race())


@pytest.mark.django_db(transaction=True)
def test_conc_twenty_identical_proposals_at_once_on_sqlite_leave_one_open():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs the test above")

    _assert_one_open_proposal(_same_proposal_race())
