"""The demo's memberships: a mix of statuses with invoices and payments, made once."""

from collections import Counter

from tests.factories import CommunityFactory, MemberFactory
from twinning.core.dates import association_today
from twinning.demo.members import seed_members
from twinning.members.models import Invoice, Payment
from twinning.members.queries import members_with_status


def test_seed_members_gives_a_mix_of_statuses_once(staff_user, association):
    for _ in range(8):
        MemberFactory(communities=[CommunityFactory()])

    first = seed_members(staff=staff_user)
    second = seed_members(staff=staff_user)

    statuses = Counter(
        members_with_status(association_today()).values_list("membership_status", flat=True)
    )
    assert (first, second) == (8, 0)
    assert set(statuses) == {"current", "grace", "expired", "pending"}
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    assert Payment.objects.count() == 5
