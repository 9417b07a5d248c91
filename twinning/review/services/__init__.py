"""Writes of the review engine (C4, C5), by sub-domain; the public names are re-exported here.

Every service is atomic, keyword-only, checks its actor first (ACC-2) and leaves an audit entry."""

from twinning.review.services.assignments import (
    CONFLICT_MESSAGES,
    AssignmentSummary,
    assign_by_hand,
    assign_reviews,
    declare_conflict,
    reassign,
    revoke_assignment,
)
from twinning.review.services.decisions import record_decision
from twinning.review.services.forwarding import advance_top, forward_items
from twinning.review.services.items import add_items
from twinning.review.services.reviewers import (
    INVITATION_DAYS,
    accept_invitation,
    add_reviewer,
    deactivate_reviewer,
    find_invitation,
    invitation_problem,
    invite_reviewer,
)
from twinning.review.services.rounds import (
    DEFAULT_CRITERIA,
    can_manage_round,
    change_round_state,
    create_round,
    reschedule_round,
)
from twinning.review.services.scores import save_scores

__all__ = [
    "CONFLICT_MESSAGES",
    "DEFAULT_CRITERIA",
    "INVITATION_DAYS",
    "AssignmentSummary",
    "accept_invitation",
    "add_items",
    "add_reviewer",
    "advance_top",
    "assign_by_hand",
    "assign_reviews",
    "can_manage_round",
    "change_round_state",
    "create_round",
    "deactivate_reviewer",
    "declare_conflict",
    "find_invitation",
    "forward_items",
    "invitation_problem",
    "invite_reviewer",
    "reassign",
    "record_decision",
    "reschedule_round",
    "revoke_assignment",
    "save_scores",
]
