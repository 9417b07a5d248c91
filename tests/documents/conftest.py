import pytest

from tests.documents.helpers import current, kyoto_partnership, lyon_partnership


@pytest.fixture
def member(springfield_member, committee_admin_user):
    return current(springfield_member)


@pytest.fixture
def kyoto(springfield, member):
    return kyoto_partnership(springfield, member)


@pytest.fixture
def lyon(springfield, member):
    return lyon_partnership(springfield)
