"""ACC-1 rows of the review engine (collected by tests/core/test_route_matrix.py).
Judges are not among the matrix's roles: their pages answer 404 to every signed-in role here
(no assignment), and tests/review/test_views.py covers judges by role."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories import CommunityFactory
from tests.matrix import STAFF_ACTION, STAFF_PAGE
from tests.review.reviewable import Study
from twinning.core.authz import SYSTEM
from twinning.network.models import Member
from twinning.review.services import add_items, create_round

SIGNED_IN_404 = (302, 404, 404, 404, 404, 404)
LOCAL_PAGE = (302, 404, 200, 404, 302, 200)
LOCAL_ACTION = (302, 404, 405, 404, 302, 405)

MATRIX = {
    "review:queue": ("/review/", (302, 200, 200, 200, 200, 200)),
    "review:item_review": ("/review/{review_code}/", SIGNED_IN_404),
    "review:invitation_open": ("/review/invitations/not-a-token/", (404,) * 6),
    "review:invitation_accept": ("/review/invitations/accept/", SIGNED_IN_404),
    "review:round_list": ("/review/rounds/", (302, 404, 200, 200, 302, 200)),
    "review:round_detail": ("/review/rounds/{review_round}/", STAFF_PAGE),
    "review:round_ranking": ("/review/rounds/{review_round}/ranking/", STAFF_PAGE),
    "review:round_ranking_csv": ("/review/rounds/{review_round}/ranking.csv", STAFF_PAGE),
    "review:item_manage": ("/review/rounds/{review_round}/items/{review_item}/", STAFF_PAGE),
    "review:round_state": ("/review/rounds/{review_round}/state/", STAFF_ACTION),
    "review:round_assign": ("/review/rounds/{review_round}/assign/", STAFF_ACTION),
    "review:round_advance": ("/review/rounds/{local_round}/advance/", LOCAL_ACTION),
    "review:items_forward": ("/review/rounds/{local_round}/forward/", LOCAL_ACTION),
    "review:reviewer_add": ("/review/rounds/{local_round}/reviewers/add/", LOCAL_ACTION),
    "review:reviewer_invite": ("/review/rounds/{local_round}/reviewers/invite/", LOCAL_ACTION),
    "review:reviewer_deactivate": (
        "/review/rounds/{local_round}/reviewers/1/deactivate/",
        LOCAL_ACTION,
    ),
    "review:conflict_declare": ("/review/rounds/{local_round}/conflicts/", LOCAL_ACTION),
    "review:item_decide": (
        "/review/rounds/{review_round}/items/{review_item}/decide/",
        STAFF_ACTION,
    ),
    "review:assignment_reassign": (
        "/review/rounds/{review_round}/assignments/1/reassign/",
        STAFF_ACTION,
    ),
    "review:assignment_revoke": (
        "/review/rounds/{review_round}/assignments/1/revoke/",
        STAFF_ACTION,
    ),
}

# The local round's page, which its committee admin reaches too (checked in test_views.py).
LOCAL_MATRIX = {"review:round_detail": ("/review/rounds/{local_round}/", LOCAL_PAGE)}


def build_world(base: dict) -> dict:
    """A national round with one item, and Springfield's local round feeding it."""
    ContentType.objects.clear_cache()  # the test-only Study's row is made per test
    now = timezone.now()
    dates = {
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=7),
    }
    national = create_round(name="National", model=Study, by=SYSTEM, **dates)
    local = create_round(
        name="Local",
        model=Study,
        owner_member=Member.objects.get(slug=base["member"]),
        next_round=national,
        forward_limit=5,
        by=SYSTEM,
        **dates,
    )
    study = Study.objects.get(pk=CommunityFactory().pk)
    item = add_items(round=national, objects=[study], by=SYSTEM)[0]
    return {
        "review_round": national.pk,
        "local_round": local.pk,
        "review_item": item.pk,
        "review_code": item.code,
    }
