import pytest

from tests.documents.helpers import current, kyoto_partnership


@pytest.fixture
def member(springfield_member, committee_admin_user):
    return current(springfield_member)


@pytest.fixture
def kyoto(springfield, member):
    return kyoto_partnership(springfield, member)
