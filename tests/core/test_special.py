"""twinning.core.special: who may read special-category data (RELIABILITY P-07) and the one
way a read is logged (K3)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from tests.accounts.welfare import grant_welfare, welfare_staff
from tests.conftest import verified
from tests.factories import UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.core.special import (
    has_welfare_capability,
    log_special_read,
    may_read_special,
    require_special_reader,
)

pytestmark = pytest.mark.django_db


def test_verified_staff_with_the_capability_may_read():
    assert may_read_special(welfare_staff())


def test_verified_staff_without_the_capability_may_not(staff_user):
    assert not may_read_special(staff_user)


def test_the_capability_without_the_second_factor_is_not_enough():
    user = grant_welfare(UserFactory(email="pw-only@example.org", is_staff=True))
    assert has_welfare_capability(user)
    assert not may_read_special(user)


def test_the_capability_on_someone_who_is_not_staff_is_not_enough():
    user = grant_welfare(verified(UserFactory(email="volunteer@example.org")))
    assert not has_welfare_capability(user)
    assert not may_read_special(user)


def test_a_deactivated_welfare_staff_member_may_not():
    user = welfare_staff()
    user.is_active = False
    assert not may_read_special(user)


def test_the_capability_can_come_from_a_group(staff_user):
    group = Group.objects.create(name="Welfare team")
    group.permissions.add(Permission.objects.get(codename="staff_welfare"))
    staff_user.groups.add(group)
    assert may_read_special(staff_user)


@pytest.mark.parametrize("who", [None, AnonymousUser(), SYSTEM])
def test_nobody_else_may_read(who):
    assert not may_read_special(who)


def test_the_service_check_refuses_staff_without_the_capability(staff_user):
    with pytest.raises(NotAllowed):
        require_special_reader(staff_user)
    require_special_reader(welfare_staff())
    require_special_reader(SYSTEM)


def test_a_read_is_logged_with_who_whose_record_which_fields_and_why():
    reader = welfare_staff()
    record = UserFactory(email="student@example.org")
    entry = log_special_read(
        record,
        "test.special_read",
        by=reader,
        fields=["medical_notes", "allergies"],
        purpose="care",
        event=7,
    )
    entry = ActivityLog.objects.get(pk=entry.pk)
    assert entry.actor == reader
    assert entry.target == record
    assert entry.data == {"fields": ["allergies", "medical_notes"], "purpose": "care", "event": 7}
