"""The demo's activity reports: made through the services on real partnerships of the demo
members, in every state, and only once."""

from twinning.activities.models import Activity
from twinning.demo.activities import seed_activities


def test_seed_activities_reports_on_the_members_partnerships_once(
    springfield_member, partnership, other_partnership, staff_user, committee_admin_user
):
    made = seed_activities(staff=staff_user, years=2)
    again = seed_activities(staff=staff_user, years=2)

    assert (made, again) == (24, 0)
    assert set(Activity.objects.values_list("member", flat=True)) == {
        springfield_member.pk,
        other_partnership.community_a.members.first().pk
        if other_partnership.community_a.members.exists()
        else other_partnership.community_b.members.first().pk,
    }
    assert Activity.objects.filter(state="verified").count() >= 2
    assert (
        Activity.objects.filter(is_delegation=True, travellers__isnull=False).distinct().count()
        == 2
    )
    mine = Activity.objects.filter(member=springfield_member)
    assert set(mine.values_list("partnerships", flat=True)) == {partnership.pk}
