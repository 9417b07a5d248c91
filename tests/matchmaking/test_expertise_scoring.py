"""The expertise exchange's ranking of offers for a request, in memory: each reason with its
points, and properties over random offers and partnership graphs (hypothesis): an offer of
the requesting community itself, or in another field, is never suggested; scores are their
reasons summed, best first."""

from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.matchmaking.scoring import (
    EXPERTISE_FIELD_POINTS,
    EXPERTISE_FORM_POINTS,
    EXPERTISE_PARTNER_POINTS,
    EXPERTISE_TWO_STEPS_POINTS,
    Want,
    offer_reasons,
    rank_offers,
)

FIELDS = ["water", "health", "sanitation"]
LANGUAGES = ["en", "fr", "sr", "ja"]


def test_each_reason_gives_its_points():
    request = Want(
        1,
        community=10,
        field="water",
        languages=frozenset({"en", "sr"}),
        forms=frozenset({"visit"}),
    )
    partner = Want(
        2,
        community=20,
        field="water",
        languages=frozenset({"en", "sr"}),
        forms=frozenset({"visit"}),
    )
    two_steps = Want(3, community=30, field="water")
    partners = {
        10: frozenset({20, 40}),
        20: frozenset({10}),
        30: frozenset({40}),
        40: frozenset({10, 30}),
    }

    ranked = rank_offers(request, [two_steps, partner], partners)

    assert [s.offer.pk for s in ranked] == [2, 3]
    assert ranked[0].score == EXPERTISE_FIELD_POINTS + 30 + EXPERTISE_FORM_POINTS + (
        EXPERTISE_PARTNER_POINTS
    )
    assert ranked[1].score == EXPERTISE_FIELD_POINTS + EXPERTISE_TWO_STEPS_POINTS
    assert [r.text for r in ranked[1].reasons][-1] == "Partners of the same community"


@st.composite
def exchanges(draw):
    communities = draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True))
    wants = st.builds(
        Want,
        pk=st.integers(1, 10_000),
        community=st.sampled_from(communities),
        field=st.sampled_from(FIELDS),
        languages=st.frozensets(st.sampled_from(LANGUAGES)),
        forms=st.frozensets(st.sampled_from(["visit", "call", "expert"])),
    )
    pairs = draw(st.lists(st.tuples(st.sampled_from(communities), st.sampled_from(communities))))
    partners: dict[int, set[int]] = {}
    for a, b in pairs:
        if a != b:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    return (
        draw(wants),
        draw(st.lists(wants, max_size=30)),
        {k: frozenset(v) for k, v in partners.items()},
    )


@settings(max_examples=200, deadline=None)
@given(exchanges())
def test_an_offer_of_the_requesting_community_itself_is_never_suggested(world):
    request, offers, partners = world

    ranked = rank_offers(request, offers, partners)

    assert all(s.offer.community != request.community for s in ranked)
    assert all(s.offer.field == request.field for s in ranked)


@settings(max_examples=100, deadline=None)
@given(exchanges())
def test_offer_scores_are_their_reasons_summed_best_first(world):
    request, offers, partners = world

    ranked = rank_offers(request, offers, partners)

    assert all(s.score == sum(r.points for r in s.reasons) > 0 for s in ranked)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def _each_offer_by_its_reasons(request, offers, partners, limit):
    """The ranking the slow way: each offer's reasons, those that fit sorted by their points
    summed, then the older offer (its id), then the order given."""
    scored = [(offer, offer_reasons(request, offer, partners)) for offer in offers]
    fitting = [(offer, reasons) for offer, reasons in scored if reasons]
    fitting.sort(key=lambda item: (-sum(r.points for r in item[1]), item[0].pk))
    kept = fitting if limit is None else fitting[:limit]
    return [(offer, sum(r.points for r in reasons), reasons) for offer, reasons in kept]


@settings(max_examples=300, deadline=None)
@given(exchanges(), st.none() | st.integers(min_value=0, max_value=40))
def test_the_ranking_of_offers_equals_ranking_each_offer_by_its_reasons(world, limit):
    request, offers, partners = world

    ranked = rank_offers(request, offers, partners, limit=limit)

    assert [(s.offer, s.score, s.reasons) for s in ranked] == _each_offer_by_its_reasons(
        request, offers, partners, limit
    )
