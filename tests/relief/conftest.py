import pytest

from tests.conftest import _client_for
from tests.relief.helpers import make_appeal, partner_city


@pytest.fixture
def partner(db):
    """Kragujevac, the affected partner city: its committee and their admin."""
    return partner_city()


@pytest.fixture
def partner_client(partner):
    return _client_for(partner.admin)


@pytest.fixture
def appeal(partner, springfield_member):
    """An open appeal for Kragujevac organised by Springfield's committee, with one need
    (100 hospital beds) confirmed by the partner side."""
    return make_appeal(community=partner.community, organisers=[springfield_member])
