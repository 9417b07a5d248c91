import pytest

from tests.factories.members import MembershipTypeFactory
from twinning.core.models import Association


@pytest.fixture
def membership_type(db):
    return MembershipTypeFactory(name="Community membership")


@pytest.fixture
def association(db):
    association = Association.load()
    association.name = "Sister Cities Association"
    association.address = "1 Twinning Way\nWashington, DC"
    association.email = "office@example.org"
    association.currency = "USD"
    association.time_zone = "America/New_York"
    association.save()
    return association
