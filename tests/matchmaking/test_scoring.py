"""The suggestions' score, in memory: each reason with its points, and properties over random
registries (hypothesis): a suggestion is never the community itself nor one of its partners,
whatever the graph; scores are the sum of their reasons, sorted best first."""

from hypothesis import given, settings
from hypothesis import strategies as st

from twinning.matchmaking.scoring import (
    COUNTRY_POINTS,
    REGION_POINTS,
    SEEKING_POINTS,
    TWO_STEPS_POINTS,
    Node,
    Registry,
    Wishes,
    excluded,
    graph_distances,
    score,
    suggest,
)

COUNTRIES = {"US": "americas", "FR": "europe", "DE": "europe", "JP": "asia", "KE": "africa"}


def node(pk, country="FR", **fields):
    return Node(pk, f"Town {pk}", country, COUNTRIES[country], **fields)


def registry(nodes, pairs=()):
    partners = {}
    for a, b in pairs:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return Registry({n.pk: n for n in nodes}, {k: frozenset(v) for k, v in partners.items()})


def test_a_preferred_country_outranks_a_preferred_region():
    seeker = node(
        1, "US", wishes=Wishes(countries=frozenset({"DE"}), regions=frozenset({"europe"}))
    )
    germany, france = node(2, "DE"), node(3, "FR")

    ranked = suggest(registry([seeker, germany, france]), seeker)

    assert [s.node.pk for s in ranked] == [2, 3]
    assert ranked[0].reasons[0].points == COUNTRY_POINTS
    assert ranked[1].reasons[0].points == REGION_POINTS


def test_partners_of_partners_score_higher_and_partners_are_never_suggested():
    seeker, partner, friend, stranger = node(1, "US"), node(2, "FR"), node(3, "JP"), node(4, "JP")
    world = registry([seeker, partner, friend, stranger], [(1, 2), (2, 3)])

    ranked = suggest(world, seeker)

    assert [s.node.pk for s in ranked] == [3]  # the stranger has no reason to rank at all
    assert ranked[0].reasons[-1].points == TWO_STEPS_POINTS
    assert ranked[0].reasons[-1].text == "A partner of one of your partners"


def test_a_community_already_in_many_partnerships_ranks_lower():
    shared = {"fields": frozenset({"arts", "youth"}), "languages": frozenset({"en"})}
    seeker, quiet, busy = node(1, "US", **shared), node(2, "FR", **shared), node(3, "FR", **shared)
    others = [node(pk, "JP") for pk in range(10, 18)]
    world = registry([seeker, quiet, busy, *others], [(3, pk) for pk in range(10, 18)])

    quiet_score = score(seeker, quiet, distance=None, degree=0)
    busy_score = score(seeker, busy, distance=None, degree=8)

    assert busy_score.score < quiet_score.score
    assert busy_score.reasons[-1].text == "Already in 8 partnerships"
    assert [s.node.pk for s in suggest(world, seeker)][:2] == [2, 3]


def test_the_other_side_seeking_too_and_looking_for_us_adds_points():
    seeker = node(1, "US", languages=frozenset({"en"}))
    seeking = node(
        2,
        "FR",
        seeking=True,
        languages=frozenset({"en"}),
        wishes=Wishes(regions=frozenset({"americas"})),
    )

    result = score(seeker, seeking, distance=None, degree=0)

    assert [r.text for r in result.reasons] == [
        "Shared languages: en",
        "Seeking a partner too",
        "Looking for a partner where you are",
    ]
    assert result.score == 10 + SEEKING_POINTS + 10


def test_population_range_and_similarity():
    seeker = node(
        1, "US", population=100_000, wishes=Wishes(population_min=50_000, population_max=200_000)
    )

    near = score(seeker, node(2, "FR", population=100_000), distance=None, degree=0)
    far = score(seeker, node(3, "FR", population=10_000_000), distance=None, degree=0)

    assert [r.points for r in near.reasons] == [10, 15]
    assert far.score < near.score


def test_communities_of_the_seekers_own_country_are_not_suggested():
    seeker = node(1, "FR", fields=frozenset({"arts"}))
    same_country = node(2, "FR", fields=frozenset({"arts"}))

    assert suggest(registry([seeker, same_country]), seeker) == []


# --- Properties over random registries --------------------------------------------------------

node_ids = st.integers(min_value=1, max_value=30)
# A few values often (equal populations, a range's bounds met exactly), any other sometimes.
populations = st.sampled_from([0, 1_000, 20_000, 500_000]) | st.integers(0, 5_000_000)


@st.composite
def registries(draw):
    pks = sorted(draw(st.sets(node_ids, min_size=2, max_size=30)))
    fields = st.frozensets(st.sampled_from(["arts", "youth", "business", "municipal"]))
    languages = st.frozensets(st.sampled_from(["en", "fr", "de", "ja"]))
    nodes = [
        Node(
            pk,
            f"Town {pk}",
            (code := draw(st.sampled_from(sorted(COUNTRIES)))),
            COUNTRIES[code],
            draw(st.none() | populations),
            draw(fields),
            draw(languages),
            draw(st.booleans()),
            Wishes(
                countries=draw(st.frozensets(st.sampled_from(sorted(COUNTRIES)))),
                regions=draw(st.frozensets(st.sampled_from(sorted(set(COUNTRIES.values()))))),
                population_min=draw(st.none() | populations),
                population_max=draw(st.none() | populations),
            ),
        )
        for pk in pks
    ]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(pks), st.sampled_from(pks)).filter(lambda p: p[0] != p[1])
        )
    )
    seeker = draw(st.sampled_from(pks))
    return registry(nodes, pairs), seeker


@settings(max_examples=200, deadline=None)
@given(registries())
def test_a_suggestion_is_never_the_community_itself_nor_an_existing_partner(world):
    reg, seeker_pk = world
    seeker = reg.nodes[seeker_pk]

    suggested = [s.node.pk for s in suggest(reg, seeker, limit=100)]

    assert seeker_pk not in suggested
    assert not set(suggested) & reg.partners_of(seeker_pk)
    assert len(suggested) == len(set(suggested))


@settings(max_examples=100, deadline=None)
@given(registries())
def test_scores_are_their_reasons_summed_best_first_and_positive(world):
    reg, seeker_pk = world

    ranked = suggest(reg, reg.nodes[seeker_pk], limit=100)

    assert all(s.score == sum(r.points for r in s.reasons) > 0 for s in ranked)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


@settings(max_examples=100, deadline=None)
@given(registries())
def test_graph_distances_are_shortest_paths(world):
    reg, seeker_pk = world

    distances = graph_distances(reg, seeker_pk)

    assert distances[seeker_pk] == 0
    for pk, steps in distances.items():
        if steps:
            assert any(distances.get(n) == steps - 1 for n in reg.partners_of(pk))


def _every_candidate_scored(reg, seeker, limit):
    """The ranking as the scoring defines it, the slow way: every community not excluded and
    not of the seeker's country scored with `score()`, the positive ones sorted by score, then
    name, then id."""
    distances = graph_distances(reg, seeker.pk)
    never = excluded(reg, seeker)
    scored = [
        score(seeker, other, distance=distances.get(other.pk), degree=len(reg.partners_of(pk)))
        for pk, other in reg.nodes.items()
        if pk not in never and other.country != seeker.country
    ]
    kept = sorted(
        (s for s in scored if s.score > 0), key=lambda s: (-s.score, s.node.name, s.node.pk)
    )
    return kept[:limit]


@settings(max_examples=300, deadline=None)
@given(registries(), st.integers(min_value=1, max_value=40))
def test_the_ranking_equals_scoring_every_candidate_one_by_one(world, limit):
    reg, seeker_pk = world
    seeker = reg.nodes[seeker_pk]

    assert suggest(reg, seeker, limit=limit) == _every_candidate_scored(reg, seeker, limit)
