"""Writes of matchmaking (C4): seeking profiles (`profiles`), interest between communities
(`interest`) and the municipal expertise exchange (`expertise`: offers, requests, a partner's
request by single-use link, matches, withdrawal and decline, and the outcome). Every service
checks its actor first (the partner's link is its own authority)."""

from twinning.matchmaking.services.expertise import (
    create_request,
    decline_match,
    decline_match_for_side,
    invite_partner_request,
    match_request,
    record_outcome,
    request_for_link,
    request_for_withdrawal,
    save_offer,
    submit_request_by_link,
    withdraw_request,
    withdraw_request_by_link,
)
from twinning.matchmaking.services.interest import express_interest, withdraw_interest
from twinning.matchmaking.services.profiles import list_community_abroad, save_profile

__all__ = [
    "create_request",
    "decline_match",
    "decline_match_for_side",
    "express_interest",
    "invite_partner_request",
    "list_community_abroad",
    "match_request",
    "record_outcome",
    "request_for_link",
    "request_for_withdrawal",
    "save_offer",
    "save_profile",
    "submit_request_by_link",
    "withdraw_interest",
    "withdraw_request",
    "withdraw_request_by_link",
]
