"""The staff back office for users (issue 2 section 2; ACC-11)."""

import pytest

from tests.factories import UserFactory
from twinning.accounts.models import User


@pytest.fixture
def superuser_staff(staff, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    return staff


def test_user_admin_searches_by_email_and_name(superuser_staff, staff_user):
    UserFactory(email="someone.else@example.org", full_name="Jo Other")

    by_email = superuser_staff.get("/admin/accounts/user/?q=staff%40example")
    by_name = superuser_staff.get("/admin/accounts/user/?q=Other")

    assert list(by_email.context["cl"].result_list) == [staff_user]
    assert [u.email for u in by_name.context["cl"].result_list] == ["someone.else@example.org"]


def test_user_admin_filters_staff(superuser_staff, staff_user):
    UserFactory()

    response = superuser_staff.get("/admin/accounts/user/?is_staff__exact=1")

    assert list(response.context["cl"].result_list) == [staff_user]


@pytest.mark.parametrize("item_count", [1, 3])
def test_user_admin_list_query_count(superuser_staff, django_assert_num_queries, item_count):
    UserFactory.create_batch(item_count)
    superuser_staff.get("/admin/accounts/user/")  # warm the association cache

    with django_assert_num_queries(6):
        response = superuser_staff.get("/admin/accounts/user/")

    assert len(response.context["cl"].result_list) == item_count + 1


def test_user_admin_adds_a_user_without_a_password(superuser_staff):
    response = superuser_staff.post(
        "/admin/accounts/user/add/",
        {"email": "New.Person@Example.org", "usable_password": "false"},
    )

    user = User.objects.get(email__iexact="new.person@example.org")
    assert response.status_code == 302
    assert not user.has_usable_password()


def test_user_admin_change_page_shows_the_user(superuser_staff, public_user):
    response = superuser_staff.get(f"/admin/accounts/user/{public_user.pk}/change/")

    assert response.status_code == 200
    assert public_user.email in response.text
