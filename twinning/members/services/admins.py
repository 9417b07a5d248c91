"""Co-admins of a member organisation: invitations by e-mail (single-use, expiring tokens of
256 bits; only their hash is stored, AUTH-11) and removal, effective at once (ACC-5)."""

import datetime
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, acting_user, is_verified_staff, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.members.models import CoAdminInvitation
from twinning.members.notify import queue
from twinning.network.models import Member
from twinning.network.services import add_committee_admin, remove_committee_admin

INVITATION_DAYS = 7


class InvitationInvalid(Exception):
    """The link is unknown, used, withdrawn or expired; `reason` says which, so the page can
    say so in words (410 for a link that worked once, 404 for one that never did)."""

    def __init__(self, reason: str = "unknown") -> None:
        super().__init__(reason)
        self.reason = reason


def _check_can_manage(member: Member, by: Any) -> None:
    """The member's committee admins, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    require(by, "members.manage_coadmins", member)


@transaction.atomic
def invite_coadmin(*, member: Member, email: str, by: Any) -> tuple[CoAdminInvitation, str]:
    """Invite `email` to co-administer `member`; e-mails a link. Returns the invitation and the
    token (only its hash is stored). Earlier open invitations to the same address lapse."""
    _check_can_manage(member, by)
    address = email.strip().lower()
    if member.admins.filter(email__iexact=address).exists():
        raise ValidationError({"email": _("This person is already a co-admin.")})
    now = timezone.now()
    member.admin_invitations.filter(
        email=address, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = CoAdminInvitation(
        member=member,
        email=address,
        token_hash=hash_token(token),
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        invited_by=acting_user(by),
    )
    invitation.full_clean()
    invitation.save()
    log_activity(member, "members.coadmin.invited", by=by, data={"email": address})
    queue(
        to=address,
        template="members.coadmin_invitation",
        related=invitation,
        context={
            "inviter_name": by.full_name or by.email,
            "member_name": member.name,
            "days": INVITATION_DAYS,
            "accept_url": absolute_url(reverse("members:invitation_open", kwargs={"token": token})),
        },
    )
    return invitation, token


def open_invitation(token: str) -> CoAdminInvitation:
    """The invitation a token stands for, if it can still be accepted. Opening changes nothing
    (mail scanners open links): accepting spends it. Raises InvitationInvalid with its reason:
    "unknown", "used", "withdrawn" or "expired"."""
    invitation = (
        CoAdminInvitation.objects.select_related("member")
        .filter(token_hash=hash_token(token or ""))
        .first()
        if token and len(token) <= 100
        else None
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    if invitation.revoked_at is not None:
        raise InvitationInvalid("withdrawn")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation


@transaction.atomic
def accept_invitation(
    *, token: str, user: Any = None, full_name: str = "", password: str = ""
) -> tuple[Member, Any]:
    """Use an invitation once. A signed-in user must hold the invited address; a visitor
    without an account creates one with the invited address and a password."""
    invitation = open_invitation(token)
    CoAdminInvitation.objects.select_for_update().filter(pk=invitation.pk).get()
    invitation.refresh_from_db()
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    user_model = get_user_model()
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            raise ValidationError(
                _("This invitation was sent to %(email)s: sign in with that address to accept it.")
                % {"email": invitation.email}
            )
    else:
        if user_model.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("You already have an account: sign in to accept."))
        if not full_name.strip():
            raise ValidationError({"full_name": _("Tell us your name.")})
        validate_password(password)
        user = user_model.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    # The invitation is the authority here (the registry's service is staff-only): SYSTEM adds
    # the admin; the invitation row records who accepted.
    add_committee_admin(member=invitation.member, user=user, by=SYSTEM)
    log_activity(
        invitation.member, "members.coadmin.accepted", by=user, data={"email": invitation.email}
    )
    return invitation.member, user


@transaction.atomic
def withdraw_invitation(*, invitation: CoAdminInvitation, by: Any) -> CoAdminInvitation:
    """Withdraw an open invitation (again is harmless)."""
    _check_can_manage(invitation.member, by)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        log_activity(
            invitation.member, "members.coadmin.withdrawn", by=by, data={"email": invitation.email}
        )
    return invitation


@transaction.atomic
def remove_coadmin(*, member: Member, user: Any, by: Any) -> Member:
    """Remove a co-admin; their next request no longer reaches the member (C5). A committee
    keeps at least one admin unless staff remove it."""
    _check_can_manage(member, by)
    if not member.admins.filter(pk=user.pk).exists():
        raise ValidationError(_("This person is not a co-admin."))
    if not (by is SYSTEM or is_verified_staff(by)) and member.admins.count() == 1:
        raise ValidationError(_("You are the only admin: invite someone else before leaving."))
    return remove_committee_admin(member=member, user=user, by=by)
