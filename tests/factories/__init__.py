"""Factories for every model (C19), re-exported here."""

from tests.factories.accounts import UserFactory
from tests.factories.network import (
    ApiTokenFactory,
    CommunityFactory,
    CountryFactory,
    MemberFactory,
    PartnershipFactory,
)

__all__ = [
    "ApiTokenFactory",
    "CommunityFactory",
    "CountryFactory",
    "MemberFactory",
    "PartnershipFactory",
    "UserFactory",
]
