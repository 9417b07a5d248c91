"""Writes of matchmaking (C4): seeking profiles (`profiles`) and interest between communities
(`interest`). Every service checks its actor first. The expertise exchange (issue 11,
section 4) will add its own module here."""

from twinning.matchmaking.services.interest import express_interest, withdraw_interest
from twinning.matchmaking.services.profiles import list_community_abroad, save_profile

__all__ = ["express_interest", "list_community_abroad", "save_profile", "withdraw_interest"]
