"""The expertise exchange's world, shared by its test modules (test_views.py keeps its own)."""

import pytest

from tests.matchmaking.helpers import committee, current, partners, town


@pytest.fixture
def world(springfield, springfield_member, committee_admin_user):
    """Springfield's committee (current) and its partner Kragujevac; Portland's committee
    offers water expertise; Lyon is a community abroad with no member."""
    current(springfield_member)
    kragujevac = town("Kragujevac", "RS")
    link = partners(springfield, kragujevac)
    portland = town("Portland", "US")
    portland_member, portland_admin = committee("Portland Sister Cities", portland)
    return {
        "springfield": springfield,
        "member": springfield_member,
        "kragujevac": kragujevac,
        "partnership": link,
        "portland": portland,
        "portland_member": portland_member,
        "portland_admin": portland_admin,
    }
