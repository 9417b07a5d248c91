"""Writes on memberships (C4, C5): applying (and joining as a new organisation), renewing,
staff approval and decline with a message, cancelling, and the staff override."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, require
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.members.models import OVERRIDE_CHOICES, Membership, MembershipType, Status
from twinning.members.notify import notify_admins
from twinning.members.services.summary import refresh_member_summaries
from twinning.network.models import Community, Member
from twinning.network.services import add_committee_admin, create_member


def population_of(communities: list[Community]) -> int:
    return sum(c.population or 0 for c in communities)


def _set_period(membership: Membership, start: datetime.date) -> None:
    membership.start, membership.end = membership.membership_type.period_for(start)
    membership.grace_end = membership.end + datetime.timedelta(
        days=membership.membership_type.grace_days
    )


def _check_can_act(member: Member, by: Any) -> None:
    """The member's committee admins, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    require(by, "members.apply_membership", member)


def _open_application(member: Member) -> Membership | None:
    return member.memberships.filter(
        approved_at__isnull=True, declined_at__isnull=True, cancelled_on__isnull=True
    ).first()


@transaction.atomic
def apply_for_membership(
    *,
    member: Member,
    membership_type: MembershipType,
    communities: list[Community],
    start: datetime.date | None = None,
    note: str = "",
    auto_renew: bool = False,
    by: Any,
) -> Membership:
    """An application (status pending) for `communities` of `member`. Staff decide on it.

    Raises ValidationError if the member already has an application waiting, if a community
    is not the member's, or if the type's fee table has no band for its population."""
    _check_can_act(member, by)
    if not membership_type.active:
        raise ValidationError({"membership_type": _("This membership type is not offered.")})
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community.")})
    own = set(member.communities.values_list("pk", flat=True))
    if own and not {c.pk for c in communities} <= own and not by.is_staff:
        raise ValidationError({"communities": _("Choose among your own communities.")})
    if _open_application(member) is not None:
        raise ValidationError(
            _("An application of yours is already waiting for the association's decision.")
        )
    fee = membership_type.fee_for(population_of(communities))
    if fee is None:
        raise ValidationError(
            {"membership_type": _("This type has no fee for your communities' population.")}
        )
    day = start or association_today()
    latest = member.memberships.filter(approved_at__isnull=False).order_by("-end").first()
    is_renewal = latest is not None
    if latest is not None and latest.end >= day:
        day = latest.end + datetime.timedelta(days=1)  # a renewal follows on, without a gap
    membership = Membership(
        member=member,
        membership_type=membership_type,
        fee=fee,
        is_renewal=is_renewal,
        auto_renew=auto_renew,
        applied_at=timezone.now(),
        applied_by=by if by.is_authenticated else None,
        application_note=note,
    )
    _set_period(membership, day)
    membership.full_clean()
    membership.save()
    membership.communities.set(communities)
    log_activity(
        membership,
        "members.membership.applied",
        by=by,
        data={"type": membership_type.name, "start": str(membership.start), "fee": str(fee)},
    )
    notify_admins(membership, "members.application_received")
    refresh_member_summaries([member])
    return membership


@transaction.atomic
def join_association(
    *,
    name: str,
    kind: str,
    communities: list[Community],
    membership_type: MembershipType,
    note: str = "",
    website: str = "",
    by: Any,
) -> Membership:
    """A signed-in person applies for a new organisation: the member is created in the
    registry (through network's service), they become its committee admin, and the
    application waits for staff. Raises NotAllowed for a visitor who is not signed in."""
    if by is not SYSTEM and not getattr(by, "is_authenticated", False):
        raise NotAllowed("join")
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community.")})
    # Joining is open to any signed-in person: the registry's staff-only services act here for
    # the platform (SYSTEM); the application below is audited under `by`.
    member = create_member(
        name=name, kind=kind, communities=communities, website=website, by=SYSTEM
    )
    add_committee_admin(member=member, user=by, by=SYSTEM)
    return apply_for_membership(
        member=member,
        membership_type=membership_type,
        communities=communities,
        note=note,
        by=by,
    )


def _pending(membership: Membership) -> None:
    if membership.status_on(association_today()) != Status.PENDING:
        raise ValidationError(_("This application has already been decided."))


@transaction.atomic
def approve_membership(
    *, membership: Membership, message: str = "", issue_invoice: bool = True, by: Any
) -> Membership:
    """Staff approve an application: the membership runs for its period, its communities
    join the member, an invoice for the fee is issued, and the committee is told by e-mail."""
    require(by, "members.decide_membership")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _pending(membership)
    membership.approved_at = timezone.now()
    membership.decided_by = acting_user(by)
    membership.decision_message = message
    membership.full_clean()
    membership.save()
    membership.member.communities.add(*membership.communities.all())
    log_activity(membership, "members.membership.approved", by=by, data={"message": message})
    if issue_invoice and membership.fee and not membership.invoices.exists():
        from twinning.members.services.invoices import invoice_membership

        invoice_membership(membership=membership, by=by)
    notify_admins(membership, "members.application_approved")
    refresh_member_summaries([membership.member_id])
    return membership


@transaction.atomic
def decline_membership(*, membership: Membership, message: str, by: Any) -> Membership:
    """Staff decline an application, with a message the committee receives by e-mail."""
    require(by, "members.decide_membership")
    if not message.strip():
        raise ValidationError({"message": _("Tell the committee why, in a sentence or two.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _pending(membership)
    membership.declined_at = timezone.now()
    membership.decided_by = acting_user(by)
    membership.decision_message = message.strip()
    membership.full_clean()
    membership.save()
    log_activity(membership, "members.membership.declined", by=by, data={"message": message})
    notify_admins(membership, "members.application_declined")
    refresh_member_summaries([membership.member_id])
    return membership


@transaction.atomic
def cancel_membership(
    *, membership: Membership, on: datetime.date, reason: str, by: Any
) -> Membership:
    """End a membership early (the member resigned, or is struck off): staff only."""
    require(by, "members.manage_members")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the membership is cancelled.")})
    membership.cancelled_on = on
    membership.cancel_reason = reason.strip()
    membership.full_clean()
    membership.save()
    log_activity(
        membership, "members.membership.cancelled", by=by, data={"on": str(on), "reason": reason}
    )
    refresh_member_summaries([membership.member_id])
    return membership


@transaction.atomic
def override_status(
    *,
    membership: Membership,
    status: str,
    reason: str,
    until: datetime.date | None,
    by: Any,
) -> Membership:
    """Staff set the status by hand until a date (a member paying late by agreement kept
    current, a disputed one marked expired). An empty `status` lifts the override."""
    require(by, "members.manage_members")
    if status and status not in dict(OVERRIDE_CHOICES):
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status and not reason.strip():
        raise ValidationError({"reason": _("Say why the status is set by hand.")})
    if status and until is not None and until < association_today():
        raise ValidationError({"until": _("The end date of the override is in the past.")})
    membership.override_status = status
    membership.override_reason = reason.strip() if status else ""
    membership.override_until = until if status else None
    membership.override_by = acting_user(by) if status else None
    membership.full_clean()
    membership.save()
    log_activity(
        membership,
        "members.membership.overridden" if status else "members.membership.override_lifted",
        by=by,
        data={"status": status, "reason": reason, "until": str(until or "")},
    )
    refresh_member_summaries([membership.member_id])
    return membership


@transaction.atomic
def set_auto_renew(*, membership: Membership, auto_renew: bool, by: Any) -> Membership:
    """The committee opts in (or out of) renewal invoices sent before the end."""
    _check_can_act(membership.member, by)
    membership.auto_renew = auto_renew
    membership.save(update_fields=["auto_renew", "updated_at"])
    log_activity(membership, "members.membership.auto_renew", by=by, data={"on": auto_renew})
    return membership


@transaction.atomic
def create_renewal(*, membership: Membership, by: Any) -> Membership:
    """The next period of an approved membership, approved at once (the member renews on the
    same terms) and invoiced: used for opt-in automatic renewal invoices. Idempotent: a
    second call returns the renewal already made. Staff or SYSTEM (the renewal task)."""
    require(by, "members.manage_members")
    existing = (
        Membership.objects.filter(
            member=membership.member, start__gt=membership.end, declined_at__isnull=True
        )
        .order_by("start")
        .first()
    )
    if existing is not None:
        return existing
    population = population_of(list(membership.communities.all()))
    renewal = Membership(
        member=membership.member,
        membership_type=membership.membership_type,
        fee=membership.membership_type.fee_for(population) or membership.fee,
        is_renewal=True,
        auto_renew=True,
        applied_at=timezone.now(),
        approved_at=timezone.now(),
        application_note=_("Automatic renewal"),
    )
    _set_period(renewal, membership.end + datetime.timedelta(days=1))
    renewal.full_clean()
    renewal.save()
    renewal.communities.set(membership.communities.all())
    log_activity(renewal, "members.membership.renewed", by=by, data={"auto": True})
    if renewal.fee:
        from twinning.members.services.invoices import invoice_membership

        invoice_membership(membership=renewal, by=by)
    refresh_member_summaries([renewal.member_id])
    return renewal
