"""The public impact page, its exports (formula-safe, INPUT-6) and the reads behind it, including
`last_activity_by_partnership` for the members' dashboard."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import CommunityFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory
from twinning.activities.queries import last_activity_by_partnership


@pytest.fixture
def verified(springfield_member, partnership):
    return ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="verified",
        visitors_under_18=10,
        visitors_over_30=2,
        hosts_under_18=10,
        volunteer_hours=40,
        money_raised=Decimal("1500.00"),
        money_spent=Decimal("1200.50"),
    )


def test_impact_counts_verified_activities_only(anonymous, verified, activity):
    response = anonymous.get("/impact/")

    totals = response.context["figures"]["totals"]
    assert (totals["activities"], totals["participants"], totals["volunteer_hours"]) == (1, 22, 40)
    assert totals["money_raised"] == Decimal("1500.00")
    assert "Only activities verified" in response.content.decode()


def test_impact_has_a_table_beside_each_chart(anonymous, verified):
    page = anonymous.get("/impact/").content.decode()

    assert page.count('<svg class="chart" role="img"') == page.count("<table") == 6
    assert "<script" not in page.split("</head>")[1]


def test_impact_filters_by_country_region_and_year(anonymous, verified):
    by_country = anonymous.get("/impact/?country=KE").context["figures"]["totals"]
    by_region = anonymous.get("/impact/?region=europe").context["figures"]["totals"]
    by_year = anonymous.get("/impact/?year=2024").context["figures"]["totals"]
    matching = anonymous.get("/impact/?year=2025&country=fr").context["figures"]["totals"]

    assert (by_country["activities"], by_region["activities"]) == (0, 1)
    assert (by_year["activities"], matching["activities"]) == (0, 1)


def test_impact_ignores_nonsense_filters(anonymous, verified):
    response = anonymous.get("/impact/?year=abc&region=mars&country=%3F%3F")

    assert response.status_code == 200
    assert response.context["figures"]["totals"]["activities"] == 1


def test_impact_shows_a_new_verification_on_the_next_request(  # noqa: PLR0917 - pytest fixtures
    anonymous,
    verified,
    activity,
    committee_admin_user,
    staff_user,
    django_capture_on_commit_callbacks,
):
    from twinning.activities import services

    anonymous.get("/impact/")
    services.submit_activity(activity=activity, by=committee_admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_activity(activity=activity, by=staff_user)

    totals = anonymous.get("/impact/").context["figures"]["totals"]
    assert totals["activities"] == 2


def test_impact_counts_partnerships_by_status(anonymous, verified, partnership):
    rows = anonymous.get("/impact/").context["figures"]["partnerships_by_status"]

    assert {row["key"]: row["count"] for row in rows}["active"] == 1


@pytest.mark.parametrize("item_count", [1, 3])
def test_impact_queries_do_not_grow_with_the_activities(
    anonymous, springfield_member, partnership, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        ActivityFactory(member=springfield_member, partnerships=[partnership], state="verified")
    anonymous.get("/impact/")  # computed once, then cached under the data's fingerprint

    # the activities' fingerprint and the registry's; after the cached body the exchange's
    # panel (students who went, kept figures: docs/apps/exchanges.md) and relief's (4:
    # partnership names, money in, money out, goods delivered); the expertise exchange's
    # outcomes are activities with their indicators, counted in the cached figures
    with django_assert_num_queries(8):
        response = anonymous.get("/impact/")

    assert response.context["figures"]["totals"]["activities"] == item_count


def test_impact_page_is_drawn_once_per_language_and_filter_until_the_data_changes(
    anonymous, verified
):
    english = anonymous.get("/impact/").content.decode()
    french = anonymous.get("/impact/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    again = anonymous.get("/impact/").content.decode()

    def main(page: str) -> str:
        return page.split("<main", 1)[1].split("</main>", 1)[0]

    assert "Our impact" in english
    assert "Our impact" not in french
    assert main(again) == main(english)


@pytest.mark.parametrize("item_count", [1, 3])
def test_impact_computation_queries_do_not_grow(
    anonymous, springfield_member, partnership, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        ActivityFactory(member=springfield_member, partnerships=[partnership], state="verified")
    anonymous.get("/accounts/login/")  # the association's settings, cached

    # fingerprints (2), activities by year and kind, by country and region, partnerships by
    # status, dormant; the exchange's panel (2), relief's (4). The expertise exchange's
    # outcomes are activities of their own: no panel of their own.
    with django_assert_num_queries(12):
        anonymous.get("/impact/")


def test_csv_export_neutralises_formulas_e6(anonymous, springfield_member, springfield):
    partner = CommunityFactory(name="=HYPERLINK(1)", country__code="=X", country__name="=cmd|x")
    a, b = sorted([springfield, partner], key=lambda c: c.pk)
    ActivityFactory(
        member=springfield_member,
        partnerships=[PartnershipFactory(community_a=a, community_b=b)],
        state="verified",
    )

    text = b"".join([anonymous.get("/impact/export.csv").content]).decode("utf-8-sig")

    assert "'=cmd|x" in text
    assert "\n=cmd" not in text and ",=cmd" not in text


def test_xlsx_export_writes_text_never_formulas_e6(anonymous, springfield_member, springfield):
    partner = CommunityFactory(name="Evil", country__code="=X", country__name="=1+1\x01")
    a, b = sorted([springfield, partner], key=lambda c: c.pk)
    ActivityFactory(
        member=springfield_member,
        partnerships=[PartnershipFactory(community_a=a, community_b=b)],
        state="verified",
        money_raised=Decimal("10.50"),
    )

    response = anonymous.get("/impact/export.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "=1+1" in texts
    assert all(c.data_type != "f" for c in cells)
    assert Decimal("10.5") in [Decimal(str(c.value)) for c in cells if isinstance(c.value, float)]


def test_last_activity_by_partnership_gives_the_latest_reported_one(
    springfield_member, partnership, other_partnership
):
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="verified",
        title="Old",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 1, 2),
    )
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="submitted",
        title="Latest",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 2),
    )
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="draft",
        title="Draft only",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 1, 2),
    )

    result = last_activity_by_partnership([partnership.pk, other_partnership.pk])

    assert list(result) == [partnership.pk]
    assert (result[partnership.pk].title, result[partnership.pk].end_date) == (
        "Latest",
        datetime.date(2024, 1, 2),
    )


def test_last_activity_by_partnership_is_one_query(
    springfield_member, partnership, django_assert_num_queries
):
    ActivityFactory(member=springfield_member, partnerships=[partnership], state="verified")

    with django_assert_num_queries(1):
        result = last_activity_by_partnership([partnership.pk, 999999])

    assert list(result) == [partnership.pk]
