"""`seed_demo` builds the demo through the services and is idempotent (make demo runs it)."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import CommunityFactory, CountryFactory, PartnershipFactory
from twinning.accounts.models import User
from twinning.core.models import ActivityLog
from twinning.demo import personas
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.network.models import Member, PartnershipProposal


@pytest.fixture
def small_registry(db):
    us = CountryFactory(code="US", name="United States")
    ke = CountryFactory(code="KE", name="Kenya")
    springfield = CommunityFactory(name="Springfield", country=us)
    CommunityFactory(name="Nairobi", country=ke)
    for _ in range(3):
        PartnershipFactory(community_a=springfield)
    return springfield


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--skip-import", "--stage", "registry", stdout=out)
    return out.getvalue()


def test_seed_demo_prints_one_login_per_role_and_the_staff_second_factor(small_registry):
    output = _seed()

    for persona in personas.ALL:
        assert persona.email in output
    assert personas.DEMO_PASSWORD in output
    assert "TOTP secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in output
    assert "demo_totp staff@twinning.example" in output
    assert "staff welfare" in output


def test_the_demo_staff_persona_holds_the_staff_welfare_capability(small_registry):
    from twinning.core.special import has_welfare_capability

    _seed()

    staff = User.objects.get(email=personas.STAFF.email)
    assert has_welfare_capability(staff)
    assert not has_welfare_capability(User.objects.get(email=personas.COMMITTEE_ADMIN.email))


def test_seed_demo_makes_the_committee_admin_admin_of_springfield(small_registry):
    _seed()

    member = Member.objects.get(admins__email=personas.COMMITTEE_ADMIN.email)
    assert list(member.communities.all()) == [small_registry]
    assert member.seeking_partner is True  # kept in step with its community's profile
    assert member.communities.get().seeking_profile.is_open
    assert member.officers.count() == 2
    assert PartnershipProposal.objects.filter(member=member, state="pending").count() == 1
    assert ActivityLog.objects.filter(action="network.member.created").exists()


def test_seed_demo_makes_seeking_profiles_and_an_interest_in_springfield(small_registry):
    lyon = CommunityFactory(name="Lyon", country=CountryFactory(code="FR", name="France"))
    for _ in range(4):  # the best connected: the first of the demo's other members
        PartnershipFactory(community_a=lyon)

    _seed()

    interest = Interest.objects.get(target=small_registry)
    assert interest.community == lyon
    assert interest.community.seeking_profile.is_open
    assert SeekingProfile.objects.open().count() >= 2


def test_seed_demo_twice_changes_nothing(small_registry):
    _seed()
    counts = (User.objects.count(), Member.objects.count(), PartnershipProposal.objects.count())

    _seed()

    assert (
        User.objects.count(),
        Member.objects.count(),
        PartnershipProposal.objects.count(),
    ) == counts


def test_demo_totp_prints_the_current_code_of_the_staff_device(small_registry):
    _seed()
    out = StringIO()

    call_command("demo_totp", personas.STAFF.email, stdout=out)

    assert out.getvalue().strip().isdigit()
    assert len(out.getvalue().strip()) == 6
