"""The pages by role: the public list with its filters and map, a committee's profile,
suggestions and interest (refused to a lapsed member with the way to renew, to another
committee as a missing page, to the public), staff's listing; query counts constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import _client_for
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from tests.matchmaking.helpers import committee, current, profile, town
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.network.mapdata import invalidate_map_data
from twinning.network.models import Community, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(springfield, springfield_member, committee_admin_user):
    current(springfield_member)
    lyon = town("Lyon", "FR", population=500_000)
    nairobi = town("Nairobi", "KE")
    profile(lyon, sectors=["arts"], languages=["fr"], text="Cinema and jazz festivals.")
    profile(nairobi, sectors=["youth"], languages=["en", "sw"], preferred_regions=["americas"])
    return {
        "springfield": springfield,
        "member": springfield_member,
        "lyon": lyon,
        "nairobi": nairobi,
    }


# --- The public list ---------------------------------------------------------------------------


def test_the_public_list_shows_open_profiles_with_a_map(anonymous, world):
    profile(town("Closed Town", "DE"), is_open=False)

    html = anonymous.get("/seeking/").content.decode()

    assert "Lyon" in html and "Nairobi" in html and "Closed Town" not in html
    assert "Cinema and jazz festivals." in html
    assert '<svg class="mini-map"' in html and "<title>Lyon</title>" in html
    assert "2 communities seeking a partner" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?country=KE", "Nairobi", "Lyon"),
        ("?region=europe", "Lyon", "Nairobi"),
        ("?field=youth", "Nairobi", "Lyon"),
        ("?language=fr", "Lyon", "Nairobi"),
        ("?q=jazz", "Lyon", "Nairobi"),
        ("?q=nairo", "Nairobi", "Lyon"),
    ],
)
def test_the_public_list_filters(anonymous, world, query, shown, hidden):
    html = anonymous.get("/seeking/" + query).content.decode()

    assert f">{shown}</a>" in html
    assert f">{hidden}</a>" not in html


def test_the_public_list_says_when_nothing_matches(anonymous, world):
    html = anonymous.get("/seeking/?q=zzzz").content.decode()

    assert "Nothing matches" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_public_list_query_count_is_constant(anonymous, django_assert_num_queries, count):
    for i in range(count):
        c = CommunityFactory(name=f"Seeker {i}", slug=f"seeker-{i}")
        MemberFactory(communities=[c])
        profile(c, sectors=["arts"])
    anonymous.get("/seeking/")  # warm the association and the caches

    with django_assert_num_queries(4):
        response = anonymous.get("/seeking/")

    assert response.status_code == 200


def test_the_api_lists_seeking_profiles(anonymous, world):
    body = anonymous.get("/api/seeking?field=youth").json()

    assert body["count"] == 1
    assert body["items"][0]["community"]["name"] == "Nairobi"
    assert body["items"][0]["languages"] == ["en", "sw"]


def test_a_community_page_shows_its_open_profile(anonymous, world):
    html = anonymous.get(world["lyon"].get_absolute_url()).content.decode()

    assert "Seeking a new partner" in html and "Cinema and jazz festivals." in html


# --- A committee's pages ----------------------------------------------------------------------


def test_a_committee_writes_its_profile(committee_admin, world):
    url = reverse(
        "matchmaking:portal_profile",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )

    response = committee_admin.post(
        url,
        {
            "is_open": "on",
            "preferred_regions": ["europe"],
            "sectors": ["arts"],
            "languages": ["en"],
            "text": "Jazz!",
        },
    )

    assert response.status_code == 302
    saved = SeekingProfile.objects.get(community=world["springfield"])
    assert (saved.preferred_regions, saved.sectors, saved.text) == (["europe"], ["arts"], "Jazz!")
    world["member"].refresh_from_db()
    assert world["member"].seeking_partner


def test_a_profile_refuses_an_unknown_region_and_a_reversed_range(committee_admin, world):
    url = reverse(
        "matchmaking:portal_profile",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )

    response = committee_admin.post(
        url, {"preferred_regions": ["atlantis"], "population_min": "500", "population_max": "5"}
    )

    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "The largest population is below the smallest." in html
    assert not SeekingProfile.objects.filter(community=world["springfield"]).exists()


def test_a_committee_sees_its_suggestions_with_their_reasons(committee_admin, world):
    profile(world["springfield"], preferred_regions=["europe"], sectors=["arts"], languages=["fr"])
    url = reverse(
        "matchmaking:portal_suggestions",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )

    html = committee_admin.get(url).content.decode()

    assert html.index(">Lyon</a>") < html.index(">Nairobi</a>")
    assert "In a region you prefer (+20)" in html
    assert "1 shared field of interest (+8)" in html
    assert "Shared languages: fr (+10)" in html
    assert "Seeking a partner too (+20)" in html


def test_suggestions_query_count_does_not_grow_with_the_registry(committee_admin, world):
    """Ten times the registry (communities, partnerships, profiles): the same queries."""
    url = reverse(
        "matchmaking:portal_suggestions",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )
    committee_admin.get(url)
    counts = []
    for extra in (4, 40):
        for i in range(extra):
            c = CommunityFactory(name=f"Extra {extra}-{i}", slug=f"extra-{extra}-{i}")
            low, high = sorted([world["lyon"], c], key=lambda x: x.pk)
            PartnershipFactory(community_a=low, community_b=high)
            profile(c, sectors=["arts"])
        with CaptureQueriesContext(connection) as captured:
            assert committee_admin.get(url).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_suggestions_reuse_the_registry_read_while_it_is_unchanged(committee_admin, world):
    url = reverse(
        "matchmaking:portal_suggestions",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )
    committee_admin.get(url)
    profile(world["lyon"], sectors=["youth"])  # a change: the next page reads the profiles
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert committee_admin.get(url).status_code == 200
        counts.append(len(captured))

    # the first: the profiles read again (one query; the communities, partnerships and
    # countries kept, their parts of the version unchanged); the second: the registry's
    # version only (the same)
    assert counts[0] - counts[1] == 1


def test_suggestions_follow_every_change_of_the_registry(committee_admin, world):
    url = reverse(
        "matchmaking:portal_suggestions",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )
    assert "Lyon" in committee_admin.get(url).content.decode()

    link = PartnershipFactory(community_a=world["springfield"], community_b=world["lyon"])
    partnered = committee_admin.get(url).content.decode()
    link.delete()
    rome = town("Rome", "IT")
    profile(rome, sectors=["arts"])
    with_rome = committee_admin.get(url).content.decode()
    # a write that leaves `updated_at` alone says so (network's invalidate_map_data)
    Community.objects.filter(pk=rome.pk).update(country=world["springfield"].country)
    invalidate_map_data()
    moved = committee_admin.get(url).content.decode()

    assert "Lyon" not in partnered
    assert "Rome" in with_rome and "Lyon" in with_rome
    assert "Rome" not in moved  # now in the seeker's own country


def test_interest_from_both_sides_introduces_them(
    committee_admin, world, django_capture_on_commit_callbacks
):
    lyon_member, lyon_admin = committee("Lyon Twinning", world["lyon"])
    lyon_client = _client_for(lyon_admin)
    mine = reverse(
        "matchmaking:portal_interest",
        kwargs={
            "slug": world["member"].slug,
            "community": world["springfield"].slug,
            "target": "lyon",
        },
    )
    theirs = reverse(
        "matchmaking:portal_interest",
        kwargs={"slug": lyon_member.slug, "community": "lyon", "target": world["springfield"].slug},
    )

    committee_admin.post(mine)
    home = lyon_client.get(reverse("matchmaking:portal_home", kwargs={"slug": lyon_member.slug}))
    assert "Springfield" in home.content.decode()  # under "Interested in you"
    with django_capture_on_commit_callbacks(execute=True):
        response = lyon_client.post(theirs, follow=True)

    assert "we have introduced you by e-mail" in response.content.decode()
    partnership = Partnership.objects.get()
    assert partnership.status == Partnership.Status.PROPOSED
    assert Interest.objects.filter(partnership=partnership).count() == 2


def test_a_lapsed_member_is_told_why_and_how_to_renew(world, springfield):
    lapsed_member, admin = committee("Lapsed Committee", town("Ghent", "BE"), is_current=False)
    client = _client_for(admin)

    for name, kwargs in (
        ("matchmaking:portal_home", {}),
        ("matchmaking:portal_profile", {"community": "ghent"}),
        ("matchmaking:portal_suggestions", {"community": "ghent"}),
    ):
        response = client.get(reverse(name, kwargs={"slug": lapsed_member.slug, **kwargs}))
        assert response.status_code == 403
        assert "Renew the membership" in response.content.decode()
    post = client.post(
        reverse(
            "matchmaking:portal_interest",
            kwargs={"slug": lapsed_member.slug, "community": "ghent", "target": "lyon"},
        )
    )
    assert post.status_code == 403
    assert not Interest.objects.exists()


def test_another_committee_and_the_public_cannot_reach_a_committees_pages(
    other_committee_admin, public, anonymous, world
):
    url = reverse(
        "matchmaking:portal_suggestions",
        kwargs={"slug": world["member"].slug, "community": world["springfield"].slug},
    )
    interest = reverse(
        "matchmaking:portal_interest",
        kwargs={
            "slug": world["member"].slug,
            "community": world["springfield"].slug,
            "target": "lyon",
        },
    )

    assert other_committee_admin.get(url).status_code == 404
    assert public.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert other_committee_admin.post(interest).status_code == 404
    assert public.post(interest).status_code == 404
    assert not Interest.objects.exists()


def test_a_committee_cannot_act_for_a_community_it_does_not_hold(committee_admin, world):
    url = reverse(
        "matchmaking:portal_profile", kwargs={"slug": world["member"].slug, "community": "lyon"}
    )

    assert committee_admin.get(url).status_code == 404
    assert committee_admin.post(url, {"text": "Mine now"}).status_code == 404


def test_the_committee_home_links_to_matchmaking(committee_admin, world):
    html = committee_admin.get(reverse("core:home")).content.decode()

    assert reverse("matchmaking:portal_home", kwargs={"slug": world["member"].slug}) in html


# --- Staff -------------------------------------------------------------------------------------


def test_staff_list_a_community_abroad(staff, world):
    town("Kyoto", "JP")

    response = staff.post(
        reverse("matchmaking:staff_profile_create"),
        {
            "community": "kyoto",
            "requested_by": "Japan Twinning Council",
            "is_open": "on",
            "sectors": ["arts"],
        },
    )

    assert response.status_code == 302
    listed = SeekingProfile.objects.get(community__slug="kyoto")
    assert listed.requested_by == "Japan Twinning Council"
    html = staff.get(reverse("matchmaking:staff_profile_list")).content.decode()
    assert "Japan Twinning Council" in html


def test_staff_may_not_list_a_members_community(staff, world):
    response = staff.post(
        reverse("matchmaking:staff_profile_create"),
        {"community": world["springfield"].slug, "requested_by": "X", "is_open": "on"},
    )

    assert response.status_code == 200
    assert "its committee keeps its profile" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_staff_list_query_count_is_constant(staff, django_assert_num_queries, count):
    for i in range(count):
        profile(CommunityFactory(name=f"Listed {i}", slug=f"listed-{i}"))
    staff.get(reverse("matchmaking:staff_profile_list"))

    with django_assert_num_queries(6):
        assert staff.get(reverse("matchmaking:staff_profile_list")).status_code == 200


def test_staff_suggestions_for_a_listed_community(staff, world):
    html = staff.get(
        reverse("matchmaking:staff_suggestions", kwargs={"slug": "nairobi"})
    ).content.decode()

    assert "Suggested partners for Nairobi" in html
    assert "Springfield" in html  # Americas, which Nairobi prefers
