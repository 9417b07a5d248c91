"""Judging on the review engine (through its interface): a round per category with its
rubric and blind flag, conflicts from the registry, staff's decisions, and the announcement
(archive, held e-mails, banquet honorees, certificates), with nothing public before it."""

import pytest
from django.core.exceptions import ValidationError

from tests.awards.conftest import close
from tests.awards.helpers import SMALL, VOLUNTEER, category, eligible_member, submitted
from tests.events.banquet_helpers import make_banquet
from tests.factories import CommunityFactory, PartnershipFactory, UserFactory
from twinning.awards.models import Honour, Nomination
from twinning.awards.services import (
    announce_results,
    decide_nomination,
    open_judging,
    update_cycle,
)
from twinning.core.authz import SYSTEM
from twinning.core.media import private_storage
from twinning.outbox.models import OutboxMessage
from twinning.review.interface import add_reviewer, assign_reviews, items_for


def _judged(cycle, members, slug=SMALL):
    cat = category(cycle, slug)
    nominations = [submitted(cat, m) for m in members]
    close(cycle)
    open_judging(category=cat, by=SYSTEM)
    cat.refresh_from_db()
    return cat, nominations


@pytest.mark.django_db
def test_judging_opens_only_after_the_deadline(cycle):
    cat = category(cycle, SMALL)
    submitted(cat, eligible_member())

    with pytest.raises(ValidationError, match="after the deadline"):
        open_judging(category=cat, by=SYSTEM)


@pytest.mark.django_db
def test_a_category_round_holds_the_counting_nominations_with_its_rubric(cycle):
    cat = category(cycle, VOLUNTEER)
    cat.blind = True
    cat.criteria = [{"name": "Impact", "weight": 2}, {"name": "Commitment", "weight": 1}]
    cat.save()
    one, two = eligible_member(), eligible_member()
    counting = submitted(cat, one)
    Nomination.objects.create(
        category=cat, member=two, community=two.communities.get(), title="A draft"
    )
    close(cycle)

    round = open_judging(category=cat, by=SYSTEM)

    assert (round.blind, round.state) == (True, "open")
    assert list(round.criteria.values_list("name", "weight")) == [("Impact", 2), ("Commitment", 1)]
    assert list(items_for(round, Nomination.objects.all())) == [counting.pk]


@pytest.mark.django_db
def test_awards_are_not_blind_by_default_and_judges_see_the_committee(cycle):
    cat, (nomination,) = _judged(cycle, [eligible_member(name="Riverside Twinning")])
    work = nomination.review_work()

    assert cat.round.blind is False
    assert work.context["committee"] == "Riverside Twinning"
    assert work.template == "awards/review_work.html"


@pytest.mark.django_db
def test_a_blind_category_hides_who_is_nominated(cycle):
    cat = category(cycle, SMALL)
    cat.blind = True
    cat.save()
    nomination = submitted(cat, eligible_member(name="Riverside Twinning"), title="Open doors")

    context = nomination.review_work().context

    assert "committee" not in context
    assert "Riverside" not in str(context)


@pytest.mark.django_db
def test_a_judge_never_gets_a_nomination_from_their_community_or_its_sister_cities(cycle):
    home, sister, other = eligible_member(), eligible_member(), eligible_member()
    PartnershipFactory(
        community_a=min(home.communities.get(), sister.communities.get(), key=lambda c: c.pk),
        community_b=max(home.communities.get(), sister.communities.get(), key=lambda c: c.pk),
    )
    cat, (own, _sisters, unrelated) = _judged(cycle, [home, sister, other])
    judge = UserFactory()
    add_reviewer(round=cat.round, user=judge, community=home.communities.get(), by=SYSTEM)
    for _n in range(3):
        add_reviewer(round=cat.round, user=UserFactory(), community=CommunityFactory(), by=SYSTEM)

    assign_reviews(round=cat.round, by=SYSTEM)

    from twinning.review.models import Assignment  # the test reads the engine's table

    judged = set(
        Assignment.objects.filter(reviewer__user=judge).values_list("item__object_id", flat=True)
    )
    assert judged == {str(unrelated.pk)}
    assert own.conflict_keys() >= {f"member:{home.pk}", f"community:{home.communities.get().pk}"}


@pytest.mark.django_db
def test_staff_choose_winners_and_announce(cycle, staff_user, django_capture_on_commit_callbacks):
    winner_member = eligible_member(name="Winning Committee")
    winner_member.admins.add(UserFactory(email="win@example.org"))
    cat, (win, mention, other) = _judged(
        cycle, [winner_member, eligible_member(), eligible_member()]
    )
    items = items_for(cat.round, [win, mention, other])
    banquet = make_banquet()
    update_cycle(
        cycle=cycle,
        opens_at=cycle.opens_at,
        closes_at=cycle.closes_at,
        banquet=banquet,
        by=staff_user,
    )
    decide_nomination(category=cat, item=items[win.pk], outcome="winner", by=staff_user)
    decide_nomination(
        category=cat, item=items[mention.pk], outcome="honourable_mention", by=staff_user
    )

    with django_capture_on_commit_callbacks(execute=True):
        announce_results(cycle=cycle, by=staff_user)

    honours = list(Honour.objects.order_by("outcome").values_list("title", "outcome"))
    assert honours == [(mention.title, "honourable_mention"), (win.title, "winner")]
    held = OutboxMessage.objects.filter(template__startswith="awards.result")
    assert set(held.values_list("state", flat=True)) == {"held"}
    assert held.count() == 4  # one admin per committee, and the winner's second one
    assert held.filter(to="win@example.org", template="awards.result_honoured").exists()
    assert list(banquet.honorees.values_list("name", "honour", "source", "reference")) == [
        (
            "Winning Committee",
            f"{cat.name} ({cycle.year})",
            "awards",
            f"awards:{cycle.year}:{win.pk}",
        )
    ]
    presentations = list(banquet.run_of_show.filter(kind="award").values_list("title", flat=True))
    assert presentations == [f"{cat.name} ({cycle.year}): Winning Committee"]
    honour = Honour.objects.get(outcome="winner")
    assert private_storage.open(honour.certificate_file).read().startswith(b"%PDF")


@pytest.mark.django_db
def test_nothing_is_announced_without_a_winner_and_decisions_freeze_after(cycle, staff_user):
    cat, (nomination,) = _judged(cycle, [eligible_member()])
    item = items_for(cat.round, [nomination])[nomination.pk]

    with pytest.raises(ValidationError, match="at least one winner"):
        announce_results(cycle=cycle, by=staff_user)
    with pytest.raises(ValidationError, match="Choose winner"):
        decide_nomination(category=cat, item=item, outcome="advanced", by=staff_user)
    decide_nomination(category=cat, item=item, outcome="winner", by=staff_user)
    announce_results(cycle=cycle, by=staff_user)

    with pytest.raises(ValidationError, match="announced"):
        decide_nomination(category=cat, item=item, outcome="not_selected", by=staff_user)


@pytest.mark.django_db
def test_the_archive_shows_nothing_before_the_announcement(cycle, staff_user, anonymous):
    cat, (nomination,) = _judged(cycle, [eligible_member()])
    item = items_for(cat.round, [nomination])[nomination.pk]
    decide_nomination(category=cat, item=item, outcome="winner", by=staff_user)

    before = anonymous.get("/awards/winners/")
    announce_results(cycle=cycle, by=staff_user)
    after = anonymous.get("/awards/winners/")

    assert nomination.title not in before.content.decode()
    assert not Honour.objects.filter(cycle__announced_at__isnull=True).exists()
    assert nomination.title in after.content.decode()
