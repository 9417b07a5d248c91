"""The reviewer pool of a round and its invitations."""

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from twinning.core.authz import NotAllowed, acting_user
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.outbox.services import queue_email
from twinning.review.models import Invitation, Reviewer, Round, results_changed
from twinning.review.services.rounds import _require_manager

INVITATION_DAYS = 7


@transaction.atomic
def add_reviewer(
    *, round: Round, user: Any, community: Any = None, member: Any = None, by: Any
) -> Reviewer:
    """Put a user in the round's pool (or back in it, active, with the attachments given)."""
    _require_manager(by, round)
    return _add_reviewer(round=round, user=user, community=community, member=member, by=by)


def _add_reviewer(*, round: Round, user: Any, community: Any, member: Any, by: Any) -> Reviewer:
    """`add_reviewer` once allowed (by a manager, or by an accepted invitation)."""
    reviewer, created = Reviewer.objects.get_or_create(
        round=round, user=user, defaults={"community": community, "member": member}
    )
    if not created:
        reviewer.active = True
        reviewer.community = community or reviewer.community
        reviewer.member = member or reviewer.member
        reviewer.save(update_fields=["active", "community", "member", "updated_at"])
    log_activity(reviewer, "review.reviewer.added", by=by, data={"round": round.pk})
    return reviewer


@transaction.atomic
def deactivate_reviewer(*, reviewer: Reviewer, by: Any) -> Reviewer:
    """Take a reviewer out of the pool: their unsubmitted assignments are revoked at once."""
    _require_manager(by, reviewer.round_id)
    reviewer.active = False
    reviewer.save(update_fields=["active", "updated_at"])
    revoked = reviewer.assignments.filter(revoked_at__isnull=True, submitted_at__isnull=True)
    count = revoked.update(revoked_at=timezone.now(), version=F("version") + 1)
    if count:
        results_changed(reviewer.round_id)
    log_activity(reviewer, "review.reviewer.deactivated", by=by, data={"revoked": count})
    return reviewer


@transaction.atomic
def invite_reviewer(
    *, round: Round, email: str, community: Any = None, member: Any = None, by: Any
) -> tuple[Invitation, str]:
    """Invite someone by e-mail to the round's pool: a single-use token of 256 random bits,
    valid 7 days (AUTH-11), e-mailed through the outbox. Returns the invitation and the token."""
    _require_manager(by, round)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        round=round,
        email=email.strip().lower(),
        token_hash=hash_token(token),
        community=community,
        member=member,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        invited_by=acting_user(by),
    )
    invitation.full_clean()
    invitation.save()
    queue_email(
        to=invitation.email,
        template="review.reviewer_invitation",
        context={
            "round_name": round.name,
            "invite_url": reverse("review:invitation_open", args=[token]),
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        },
        by=by,
        related=invitation,
    )
    log_activity(invitation, "review.invitation.sent", by=by, data={"round": round.pk})
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation for this token, or None (used, expired or unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("round")
        .filter(
            token_hash=hash_token(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


def invitation_problem(token: str) -> str:
    """Why a token finds no invitation to accept, in one word for the page that explains it:
    "used", "expired" or "unknown"."""
    if not token or len(token) > 100:
        return "unknown"
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    return "expired"


@transaction.atomic
def accept_invitation(*, token: str, by: Any) -> Reviewer:
    """Bind the invitation to the signed-in user, once. Raises NotAllowed when the token is
    unknown, used or expired (whoever asks)."""
    invitation = find_invitation(token)
    if invitation is None or not getattr(by, "is_authenticated", False):
        raise NotAllowed
    # The row lock makes a replay racing the first use find it used.
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by
    )
    if not updated:
        raise NotAllowed
    reviewer = _add_reviewer(
        round=invitation.round,
        user=by,
        community=invitation.community,
        member=invitation.member,
        by=by,
    )
    log_activity(invitation, "review.invitation.accepted", by=by)
    return reviewer
