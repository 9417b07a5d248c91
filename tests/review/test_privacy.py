"""The review engine forgets a person through its own service (issue 7): an app whose objects
were reviewed asks it, and never writes the review tables itself."""

from tests.factories import CommunityFactory
from tests.review.conftest import make_round, study_of
from twinning.review.models import Decision, ReviewItem
from twinning.review.privacy import forget_items_of
from twinning.review.services import add_items, forward_items, record_decision


def test_forgetting_an_object_blanks_its_items_but_keeps_codes_and_decisions(
    item, staff_user, review_round
):
    other = add_items(
        round=review_round,
        objects=[study_of(CommunityFactory(name="Keepsville"))],
        group_of=lambda s: "art",
        by=staff_user,
    )[0]
    ReviewItem.objects.filter(pk=item.pk).update(conflict_keys=["member:1", "community:2"])
    record_decision(item=item, outcome=Decision.Outcome.WINNER, place=1, by=staff_user)
    code, other_title = item.code, other.title

    changed = forget_items_of(model=type(item.content_object), object_ids=[item.object_id])

    item.refresh_from_db()
    assert changed == 1
    assert (item.title, item.conflict_keys, item.code) == ("(erased)", [], code)
    assert item.decisions.get().outcome == Decision.Outcome.WINNER
    other.refresh_from_db()
    assert other.title == other_title != "(erased)"


def test_forgetting_reaches_the_forwarded_copies_too(
    staff_user, committee_admin_user, springfield_member
):
    national = make_round(by=staff_user, name="National")
    local = make_round(
        by=staff_user,
        name="Springfield round",
        owner_member=springfield_member,
        next_round=national,
        forward_limit=2,
    )
    study = study_of(CommunityFactory(name="Forwardville"))
    [item] = add_items(round=local, objects=[study], group_of=lambda s: "poetry", by=staff_user)
    [copy] = forward_items(items=[item], to_round=national, by=committee_admin_user)

    assert forget_items_of(model=type(study), object_ids=[study.pk]) == 2

    copy.refresh_from_db()
    assert copy.title == "(erased)"


def test_forgetting_nothing_changes_nothing(item):
    assert forget_items_of(model=type(item.content_object), object_ids=[]) == 0

    item.refresh_from_db()
    assert item.title != "(erased)"
