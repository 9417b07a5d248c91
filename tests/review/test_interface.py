"""The review engine's interface for program apps (review/interface.py): the reads it adds
beside the re-exported services give a program its objects' review items and decisions."""

from tests.review.conftest import make_studies
from twinning.review import interface
from twinning.review.interface import Outcome, add_items, current_decisions, items_for, object_of


def test_items_for_finds_the_round_items_of_the_objects_asked_for(review_round, staff_user):
    inside, outside = make_studies(2)
    add_items(round=review_round, objects=[inside], by=staff_user)

    found = items_for(review_round, [inside, outside])

    assert list(found) == [inside.pk]
    assert object_of(found[inside.pk]) == inside
    assert items_for(review_round, []) == {}


def test_current_decisions_keep_the_latest_decision_per_item(review_round, staff_user):
    (study,) = make_studies(1)
    (item,) = add_items(round=review_round, objects=[study], by=staff_user)
    interface.record_decision(item=item, outcome=Outcome.FINALIST, by=staff_user)
    interface.record_decision(item=item, outcome=Outcome.WINNER, place=1, by=staff_user)

    decisions = current_decisions(review_round)

    assert decisions[item.pk].outcome == Outcome.WINNER
    assert decisions[item.pk].place == 1


def test_the_interface_exports_every_name_it_lists():
    for name in interface.__all__:
        assert getattr(interface, name) is not None, name


def test_can_review_answers_for_an_assigned_judge_and_the_manager_only(
    review_round, staff_user, public_user
):
    from tests.factories import UserFactory

    inside, outside = make_studies(2)
    add_items(round=review_round, objects=[inside], by=staff_user)
    judge = UserFactory()
    interface.add_reviewer(round=review_round, user=judge, by=staff_user)
    interface.change_round_state(round=review_round, state=interface.RoundState.OPEN, by=staff_user)
    interface.assign_reviews(round=review_round, by=staff_user)

    assert interface.can_review(judge, inside)
    assert not interface.can_review(judge, outside)
    assert interface.can_review(staff_user, inside)
    assert not interface.can_review(public_user, inside)


def test_ranking_rows_pages_the_ranking_with_the_objects(review_round, staff_user):
    studies = make_studies(3)
    add_items(round=review_round, objects=studies, by=staff_user)

    rows = interface.ranking_rows(review_round)

    assert len(rows) == 3
    assert sorted(int(r.item.object_id) for r in rows[0:3]) == sorted(s.pk for s in studies)
    assert rows[1].item.object_id == interface.ranking(review_round)[1].item.object_id


def test_ranked_objects_give_the_whole_ranking_as_object_ids_in_order(review_round, staff_user):
    studies = make_studies(3)
    add_items(round=review_round, objects=studies, by=staff_user)

    light = interface.ranked_objects(review_round)

    assert [r.object_id for r in light] == [
        int(r.item.object_id) for r in interface.ranking(review_round)
    ]
    more = make_studies(1)
    add_items(round=review_round, objects=more, by=staff_user)
    assert more[0].pk in {r.object_id for r in interface.ranked_objects(review_round)}


def test_ranking_version_moves_with_the_ranking_and_only_then(review_round, staff_user):
    add_items(round=review_round, objects=make_studies(2), by=staff_user)
    before = interface.ranking_version(review_round)

    same = interface.ranking_version(review_round)
    add_items(round=review_round, objects=make_studies(1), by=staff_user)

    assert same == before
    assert interface.ranking_version(review_round) != before
