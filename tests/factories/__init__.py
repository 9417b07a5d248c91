"""Factories for every model (C19), re-exported here."""

from tests.factories.accounts import UserFactory
from tests.factories.network import (
    CommunityFactory,
    CountryFactory,
    MemberFactory,
    PartnershipFactory,
)

__all__ = [
    "CommunityFactory",
    "CountryFactory",
    "MemberFactory",
    "PartnershipFactory",
    "UserFactory",
]
