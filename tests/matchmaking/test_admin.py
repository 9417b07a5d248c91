"""Matchmaking in the Django admin: the expertise exchange's offers, requests and matches are
listed, searched and shown to verified staff, read only (matching, withdrawal and decline are
the staff pages' services); closed to everyone else; the lists' queries do not grow with rows."""

import pytest
from django.urls import reverse

from tests.matchmaking.helpers import ask, committee, offer, town
from twinning.core.authz import SYSTEM
from twinning.matchmaking.models import ExpertiseMatch, ExpertiseOffer, ExpertiseRequest
from twinning.matchmaking.services import decline_match_for_side, match_request

pytestmark = pytest.mark.django_db

MODELS = [ExpertiseOffer, ExpertiseRequest, ExpertiseMatch]


def _url(model, view="changelist", *args):
    return reverse(f"admin:matchmaking_{model._meta.model_name}_{view}", args=args)


def _exchange(world, n: int = 0) -> ExpertiseMatch:
    """An offering committee's offer matched with a request of Springfield, then declined."""
    place = town(f"Offering {n}", "US")
    member, _admin = committee(f"Offering Committee {n}", place)
    match = match_request(
        request=ask(world["member"], world["springfield"], problem=f"Leak number {n}"),
        offer=offer(member, place),
        by=SYSTEM,
    )
    return decline_match_for_side(match=match, side="offer", reason="Busy.", by=SYSTEM)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_staff_search_list_and_see_each_row_read_only(staff, world, model):
    match = _exchange(world)
    obj = {ExpertiseOffer: match.offer, ExpertiseRequest: match.request}.get(model, match)

    term, shown = {ExpertiseRequest: ("Leak", "Springfield")}.get(model, ("Offering", "Offering 0"))

    listing = staff.get(_url(model), {"q": term})
    change = staff.get(_url(model, "change", obj.pk))

    assert listing.status_code == 200
    assert shown in listing.text
    assert "0 results" not in listing.text
    assert change.status_code == 200
    assert 'name="_save"' not in change.text  # nothing to save: read only
    assert staff.get(_url(model, "add")).status_code == 403
    assert staff.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_the_request_page_does_not_show_the_partners_link_hash(staff, world):
    match = _exchange(world)
    ExpertiseRequest.objects.filter(pk=match.request_id).update(token_hash="f" * 64)

    page = staff.get(_url(ExpertiseRequest, "change", match.request_id)).text

    assert "f" * 64 not in page
    assert "Leak number 0" in page


def test_the_match_list_filters_the_declined(staff, world):
    _exchange(world)

    response = staff.get(_url(ExpertiseMatch), {"declined_side__exact": "offer"})

    assert "Offering 0" in response.text
    assert "0 results" not in response.text


# Queries on a changelist page for verified staff, whatever the number of rows.
CHANGELIST_QUERIES = {"expertiseoffer": 8, "expertiserequest": 8, "expertisematch": 8}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_query_count_does_not_grow_with_rows(
    staff, world, django_assert_num_queries, model, count
):
    for n in range(count):
        _exchange(world, n)
    staff.get(_url(model))

    with django_assert_num_queries(CHANGELIST_QUERIES[model._meta.model_name]):
        response = staff.get(_url(model))

    last = "Springfield" if model is ExpertiseRequest else f"Offering {count - 1}"
    assert last in response.text


@pytest.mark.parametrize("persona", ["anonymous", "public", "committee_admin", "staff_without_otp"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_everyone_but_verified_staff_is_sent_to_the_admin_login(request, world, persona, model):
    client = request.getfixturevalue(persona)

    response = client.get(_url(model))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
