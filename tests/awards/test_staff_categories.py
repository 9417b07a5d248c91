"""Staff configure a cycle's categories on their own pages (not the back office): add one,
change its questions, rubric and bracket until judging starts. Bad input is explained and
changes nothing; other roles are refused and change nothing."""

import pytest
from django.urls import reverse

from tests.awards.conftest import close
from tests.awards.helpers import SMALL, category, eligible_member, submitted
from twinning.awards.models import Category

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Sustainable Cities",
    "slug": "",
    "description": "Climate and environment programs with a sister city.",
    "subject": "program",
    "population_min": "",
    "population_max": "",
    "questions": "What did you do?\nWhat changed?",
    "criteria": "Impact: 2\nPartnership: 1.5",
    "order": "20",
}


def test_staff_add_a_category_with_its_questions_and_rubric(cycle, staff):
    answer = staff.post(reverse("awards:staff_category_new", kwargs={"year": cycle.year}), FIELDS)

    added = cycle.categories.get(slug="sustainable-cities")
    assert answer.url == reverse(
        "awards:staff_category", kwargs={"year": cycle.year, "slug": "sustainable-cities"}
    )
    assert added.questions == "What did you do?\nWhat changed?"
    assert added.criteria == [
        {"name": "Impact", "weight": 2.0},
        {"name": "Partnership", "weight": 1.5},
    ]
    assert not added.blind


def test_the_edit_page_shows_the_rubric_as_written(cycle, staff):
    cat = category(cycle, SMALL)
    cat.criteria = [{"name": "Impact", "weight": 2}]
    cat.save()

    page = staff.get(
        reverse("awards:staff_category_edit", kwargs={"year": cycle.year, "slug": cat.slug})
    )

    assert "Impact: 2" in page.content.decode()


def test_staff_change_a_categorys_bracket_and_make_it_blind(cycle, staff):
    cat = category(cycle, SMALL)

    staff.post(
        reverse("awards:staff_category_edit", kwargs={"year": cycle.year, "slug": cat.slug}),
        FIELDS
        | {
            "name": cat.name,
            "slug": cat.slug,
            "population_min": "0",
            "population_max": "30000",
            "blind": "on",
        },
    )

    cat.refresh_from_db()
    assert (cat.population_max, cat.blind) == (30000, True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"criteria": "Impact"}, "Line 1: write a criterion and a weight above zero"),
        ({"criteria": "Impact: 2\nReach: -1"}, "Line 2: write a criterion and a weight"),
        ({"criteria": "Impact: nan"}, "Line 1: write a criterion"),
        ({"population_min": "5000", "population_max": "100"}, "upper bound must be above"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_bad_category_is_explained_and_adds_nothing(cycle, staff, fields, message):
    before = cycle.categories.count()

    page = staff.post(
        reverse("awards:staff_category_new", kwargs={"year": cycle.year}), FIELDS | fields
    )

    assert page.status_code == 200
    assert message in page.content.decode().replace("&#x27;", "'")
    assert cycle.categories.count() == before


def test_a_category_no_longer_changes_once_judging_started(cycle, staff):
    cat = category(cycle, SMALL)
    submitted(cat, eligible_member())
    close(cycle)
    staff.post(f"/awards/staff/{cycle.year}/{cat.slug}/judging/")

    page = staff.post(
        reverse("awards:staff_category_edit", kwargs={"year": cycle.year, "slug": cat.slug}),
        FIELDS | {"name": "Renamed", "slug": cat.slug},
    )

    assert "Judging of this category has started" in page.content.decode()
    assert Category.objects.get(pk=cat.pk).name != "Renamed"


@pytest.mark.parametrize(
    "client_name",
    ["anonymous", "public", "committee_admin", "other_committee_admin", "staff_without_otp"],
)
def test_other_roles_may_not_configure_categories(request, cycle, client_name):
    client = request.getfixturevalue(client_name)
    cat = category(cycle, SMALL)
    before = cycle.categories.count()

    answers = [
        client.post(reverse("awards:staff_category_new", kwargs={"year": cycle.year}), FIELDS),
        client.post(
            reverse("awards:staff_category_edit", kwargs={"year": cycle.year, "slug": cat.slug}),
            FIELDS | {"name": "Renamed", "slug": cat.slug},
        ),
    ]

    assert {a.status_code for a in answers} <= {302, 404}
    assert cycle.categories.count() == before
    assert Category.objects.get(pk=cat.pk).name != "Renamed"
