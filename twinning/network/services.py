"""Writes on the registry (C4, C5): partnerships recorded and changed by staff, proposals by
committee admins approved or declined by staff, each side's confirmation, member profiles.
Every service runs in one transaction and leaves an audit entry."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import acting_user, require
from twinning.core.dates import association_today
from twinning.core.services import log_activity
from twinning.network.models import (
    PROPOSAL_ALREADY_WAITING,
    ApiToken,
    Community,
    Contact,
    Country,
    Member,
    Officer,
    Partnership,
    PartnershipProposal,
    PartnershipStatusChange,
    Region,
)
from twinning.network.queries import invalidate_network_stats


def _today() -> datetime.date:
    return association_today()


def unique_slug(model: Any, base: str, *, max_length: int = 200) -> str:
    """A slug for `base` not yet used by `model` (name-country, then -2, -3...)."""
    root = (slugify(base, allow_unicode=False) or "community")[:max_length]
    slug, n = root, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


@transaction.atomic
def create_community(
    *,
    name: str,
    country: Country,
    region: str = "",
    kind: str = Community.Kind.CITY,
    latitude: float | None = None,
    longitude: float | None = None,
    population: int | None = None,
    by: Any,
    **extra: Any,
) -> Community:
    """Add a community to the registry (staff). Raises ValidationError if it exists already."""
    require(by, "network.edit_registry")
    community = Community(
        name=name.strip(),
        country=country,
        region=region,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        population=population,
        **extra,
    )
    community.slug = unique_slug(Community, f"{name}-{country.code}")
    community.full_clean(exclude=["name_key", "search_name"])
    community.save()
    log_activity(community, "network.community.created", by=by, data={"name": community.name})
    return community


def _ordered(one: Community, other: Community) -> tuple[Community, Community]:
    if one.pk == other.pk:
        raise ValidationError(_("A community cannot be partnered with itself."))
    return (one, other) if one.pk < other.pk else (other, one)


@transaction.atomic
def record_partnership(
    *,
    community: Community,
    partner: Community,
    kind: str = Partnership.Kind.SISTER_CITY,
    status: str = Partnership.Status.ACTIVE,
    established_year: int | None = None,
    source: str = "",
    source_reference: str = "",
    status_date: datetime.date | None = None,
    by: Any,
) -> Partnership:
    """Record a partnership between two communities (in either order). Raises ValidationError
    when the two are the same or already partners."""
    require(by, "network.record_partnership")
    a, b = _ordered(community, partner)
    if Partnership.objects.filter(community_a=a, community_b=b).exists():
        raise ValidationError(_("%(a)s and %(b)s are already partners.") % {"a": a, "b": b})
    partnership = Partnership(
        community_a=a,
        community_b=b,
        kind=kind,
        status=status,
        status_changed_on=status_date or _today(),
        established_year=established_year,
        source=source,
        source_reference=source_reference,
    )
    partnership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError as error:  # a concurrent writer recorded the same pair first
        raise ValidationError(
            _("%(a)s and %(b)s are already partners.") % {"a": a, "b": b}
        ) from error
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        status=status,
        changed_on=partnership.status_changed_on,
        recorded_by=acting_user(by),
    )
    log_activity(
        partnership,
        "network.partnership.recorded",
        by=by,
        data={"a": a.name, "b": b.name, "kind": kind, "status": status, "source": source},
    )
    return partnership


@transaction.atomic
def change_partnership_status(
    *,
    partnership: Partnership,
    status: str,
    on: datetime.date | None = None,
    note: str = "",
    by: Any,
) -> Partnership:
    """Move a partnership to another status, keeping the date of the change in its history."""
    require(by, "network.manage_partnership")
    if status not in Partnership.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == partnership.status:
        raise ValidationError({"status": _("The partnership already has this status.")})
    old = partnership.status
    partnership.status = status
    partnership.status_changed_on = on or _today()
    partnership.save(update_fields=["status", "status_changed_on", "updated_at"])
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        status=status,
        changed_on=partnership.status_changed_on,
        note=note,
        recorded_by=acting_user(by),
    )
    log_activity(
        partnership,
        "network.partnership.status_changed",
        by=by,
        data={"from": old, "to": status, "note": note},
    )
    transaction.on_commit(invalidate_network_stats)  # the stats count partnerships by status
    return partnership


@transaction.atomic
def confirm_partnership(
    *, partnership: Partnership, side: Community, on: datetime.date | None = None, by: Any
) -> Partnership:
    """Record that one side (community) of the partnership confirms it: staff, or a committee
    admin of a member that holds that community."""
    require(by, "network.confirm_partnership", side)
    if side.pk == partnership.community_a_id:
        partnership.confirmed_by_a_on = on or _today()
        field = "confirmed_by_a_on"
    elif side.pk == partnership.community_b_id:
        partnership.confirmed_by_b_on = on or _today()
        field = "confirmed_by_b_on"
    else:
        raise ValidationError(_("%(c)s is not a side of this partnership.") % {"c": side})
    partnership.save(update_fields=[field, "updated_at"])
    log_activity(partnership, "network.partnership.confirmed", by=by, data={"side": side.name})
    return partnership


@transaction.atomic
def propose_partnership(
    *,
    member: Member,
    community: Community,
    partner: Community,
    action: str = PartnershipProposal.Action.NEW,
    kind: str = Partnership.Kind.SISTER_CITY,
    status: str = Partnership.Status.ACTIVE,
    established_year: int | None = None,
    note: str = "",
    by: Any,
) -> PartnershipProposal:
    """A committee admin asks staff to record a new partnership, or to change the status of an
    existing one, for one of their own member's communities. Raises NotAllowed for another
    member's community and ValidationError for a request that cannot be approved."""
    require(by, "network.propose_partnership", member)
    if not member.communities.filter(pk=community.pk).exists():
        raise ValidationError({"community": _("Choose one of your own member's communities.")})
    if community.pk == partner.pk:
        raise ValidationError({"partner": _("A community cannot be partnered with itself.")})
    existing = Partnership.objects.between(community, partner).first()
    if action == PartnershipProposal.Action.NEW and existing is not None:
        raise ValidationError(
            {
                "partner": _(
                    "These two communities are already partners: propose a change of "
                    "status instead."
                )
            }
        )
    if action == PartnershipProposal.Action.STATUS:
        if existing is None:
            raise ValidationError({"partner": _("These two communities are not partners yet.")})
        if existing.status == status:
            raise ValidationError({"status": _("The partnership already has this status.")})
    proposal = PartnershipProposal(
        member=member,
        action=action,
        community=community,
        partner=partner,
        kind=kind,
        status=status,
        established_year=established_year,
        note=note,
        proposed_by=acting_user(by),
        partnership=existing,
    )
    proposal.full_clean()  # says so when the same request is already waiting
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as error:
        # The same request sent at the same moment: the database's one-open-per-pair
        # constraint (CONC-7) let the first one in; this one gets the constraint's own message.
        raise ValidationError(PROPOSAL_ALREADY_WAITING) from error
    log_activity(
        proposal,
        "network.proposal.submitted",
        by=by,
        data={"action": action, "community": community.name, "partner": partner.name},
    )
    return proposal


@transaction.atomic
def approve_proposal(
    *, proposal: PartnershipProposal, message: str = "", by: Any
) -> PartnershipProposal:
    """Staff approve a pending proposal: the partnership is recorded or its status changed,
    and the proposing side's confirmation is recorded."""
    require(by, "network.decide_proposal")
    proposal = PartnershipProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != PartnershipProposal.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if proposal.action == PartnershipProposal.Action.NEW:
        partnership = record_partnership(
            community=proposal.community,
            partner=proposal.partner,
            kind=proposal.kind,
            status=proposal.status,
            established_year=proposal.established_year,
            source="proposal",
            source_reference=f"proposal {proposal.pk}",
            by=by,
        )
    else:
        partnership = Partnership.objects.between(proposal.community, proposal.partner).get()
        change_partnership_status(
            partnership=partnership, status=proposal.status, note=proposal.note[:300], by=by
        )
    confirm_partnership(partnership=partnership, side=proposal.community, by=by)
    proposal.state = PartnershipProposal.State.APPROVED
    proposal.partnership = partnership
    proposal.decided_by = acting_user(by)
    proposal.decided_at = timezone.now()
    proposal.decision_message = message
    proposal.save()
    log_activity(proposal, "network.proposal.approved", by=by, data={"message": message})
    return proposal


@transaction.atomic
def decline_proposal(
    *, proposal: PartnershipProposal, message: str, by: Any
) -> PartnershipProposal:
    """Staff decline a pending proposal, with a message that says why."""
    require(by, "network.decide_proposal")
    proposal = PartnershipProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != PartnershipProposal.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not message.strip():
        raise ValidationError({"message": _("Tell the committee why the request is declined.")})
    proposal.state = PartnershipProposal.State.DECLINED
    proposal.decided_by = acting_user(by)
    proposal.decided_at = timezone.now()
    proposal.decision_message = message
    proposal.save()
    log_activity(proposal, "network.proposal.declined", by=by, data={"message": message})
    return proposal


@transaction.atomic
def create_member(
    *,
    name: str,
    communities: list[Community],
    kind: str = Member.Kind.COMMITTEE,
    by: Any,
    **fields: Any,
) -> Member:
    """Add a member organisation with its home communities (staff)."""
    require(by, "network.edit_registry")
    member = Member(name=name.strip(), kind=kind, **fields)
    member.slug = unique_slug(Member, name)
    member.full_clean()
    member.save()
    member.communities.set(communities)
    log_activity(member, "network.member.created", by=by, data={"name": member.name})
    return member


MEMBER_PROFILE_FIELDS = ("website", "description", "interests", "languages")
# The member's summary of its communities' seeking profiles (issue 11): matchmaking keeps it in
# step through this service; no form or API input of the registry writes it any more.
SEEKING_FIELDS = ("seeking_partner", "preferred_regions")


@transaction.atomic
def update_member_profile(*, member: Member, by: Any, **fields: Any) -> Member:
    """A committee admin (or staff) edits their member's public profile. Only the profile
    fields can change here: anything else in `fields` is refused, not silently applied."""
    require(by, "network.edit_member", member)
    unknown = set(fields) - set(MEMBER_PROFILE_FIELDS) - set(SEEKING_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if "preferred_regions" in fields:
        fields["preferred_regions"] = [r for r in Region.values if r in fields["preferred_regions"]]
    changed = {k: v for k, v in fields.items() if getattr(member, k) != v}
    for name, value in changed.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    log_activity(
        member,
        "network.member.profile_changed",
        by=by,
        data={k: str(v)[:200] for k, v in changed.items()},
    )
    return member


@transaction.atomic
def add_committee_admin(*, member: Member, user: Any, by: Any) -> Member:
    """Make `user` a committee admin of `member` (staff; an accepted invitation acts as SYSTEM)."""
    require(by, "network.edit_registry")
    member.admins.add(user)
    log_activity(member, "network.member.admin_added", by=by, data={"user": user.email})
    return member


@transaction.atomic
def remove_committee_admin(*, member: Member, user: Any, by: Any) -> Member:
    """Takes effect at once: the next request of that user no longer reaches the member.
    Staff, or a committee admin of the member (the members app keeps one admin at least)."""
    require(by, "network.edit_member", member)
    member.admins.remove(user)
    log_activity(member, "network.member.admin_removed", by=by, data={"user": user.email})
    return member


@transaction.atomic
def accept_suggested_location(*, community: Community, by: Any) -> Community:
    """Staff accept the gazetteer's point for a community whose location was flagged."""
    require(by, "network.review_locations")
    if community.suggested_latitude is None or community.suggested_longitude is None:
        raise ValidationError(_("There is no suggested point for this community."))
    old = (community.latitude, community.longitude)
    community.latitude = community.suggested_latitude
    community.longitude = community.suggested_longitude
    community.suggested_latitude = community.suggested_longitude = None
    community.location_status = Community.LocationStatus.OK
    community.location_note = ""
    community.save()
    log_activity(
        community,
        "network.community.location_accepted",
        by=by,
        data={"from": list(old), "to": [community.latitude, community.longitude]},
    )
    return community


@transaction.atomic
def dismiss_location_flag(*, community: Community, by: Any) -> Community:
    """Staff confirm that a flagged point is right after all (keep it, clear the flag)."""
    require(by, "network.review_locations")
    community.location_status = Community.LocationStatus.OK
    community.suggested_latitude = community.suggested_longitude = None
    note, community.location_note = community.location_note, ""
    community.save()
    log_activity(community, "network.community.location_confirmed", by=by, data={"flag": note})
    return community


@transaction.atomic
def add_officer(
    *,
    member: Member,
    name: str,
    position: str,
    email: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    by: Any,
) -> Officer:
    """Record an office holder of a member organisation, with the end of their term."""
    require(by, "network.edit_member", member)
    officer = Officer(
        member=member,
        name=name.strip(),
        position=position,
        email=email,
        term_start=term_start,
        term_end=term_end,
    )
    officer.full_clean()
    officer.save()
    log_activity(
        member,
        "network.member.officer_added",
        by=by,
        data={"name": officer.name, "position": position},
    )
    return officer


@transaction.atomic
def add_contact(
    *, member: Member, name: str, role: str, email: str = "", phone: str = "", by: Any
) -> Contact:
    """Record a person to reach at a member organisation (billing, press, ...)."""
    require(by, "network.edit_member", member)
    contact = Contact(member=member, name=name.strip(), role=role, email=email, phone=phone)
    contact.full_clean()
    contact.save()
    log_activity(
        member, "network.member.contact_added", by=by, data={"name": contact.name, "role": role}
    )
    return contact


# --- API tokens (twinning/network/tokens.py) ----------------------------------------------


def _check_token_scopes(scopes: list[str], *, member: Member | None) -> str | None:
    """What is wrong with these scopes for this kind of token, or None."""
    from twinning.network.scopes import get_scope

    if not scopes:
        return _("Choose at least one scope: what the token may do.")
    unknown = sorted(code for code in scopes if get_scope(code) is None)
    if unknown:
        return _("These scopes do not exist: %(s)s.") % {"s": ", ".join(unknown)}
    if member is None:
        wrong = sorted(code for code in scopes if not get_scope(code).staff)  # type: ignore[union-attr]
        if wrong:
            return _(
                "A staff token acts for no member organisation, so it cannot have %(s)s: "
                "choose the member it acts for, or other scopes."
            ) % {"s": ", ".join(wrong)}
    else:
        wrong = sorted(code for code in scopes if not get_scope(code).committee)  # type: ignore[union-attr]
        if wrong:
            return _("A committee's token cannot have %(s)s.") % {"s": ", ".join(wrong)}
    return None


@transaction.atomic
def create_api_token(
    *,
    name: str,
    scopes: list[str],
    expires_at: datetime.datetime,
    member: Member | None = None,
    by: Any,
) -> tuple[ApiToken, str]:
    """Create an API token acting for `member` (a committee token) or, with no member, for the
    association (a staff token). Returns the token and its secret: the secret is shown once
    by the caller and never stored (only its hash). Committee admins create tokens for their
    own member; staff for any member and staff tokens. Raises NotAllowed for anyone else and
    ValidationError (nothing created) for a missing name, scopes this kind of token cannot
    hold, an expiry not within a year, or a name already in use."""
    from twinning.network.tokens import MAX_LIFETIME, new_token

    if member is None:
        require(by, "network.create_staff_api_token")
    else:
        require(by, "network.manage_api_tokens", member)
    name = name.strip()
    scopes = sorted(set(scopes))
    errors: dict[str, str] = {}
    problem = _check_token_scopes(scopes, member=member)
    if problem:
        errors["scopes"] = problem
    now = timezone.now()
    if expires_at <= now:
        errors["expires_at"] = _("Choose an expiry date in the future.")
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("A token lives at most one year: choose an earlier expiry.")
    if name and ApiToken.objects.filter(member=member, name=name, revoked_at__isnull=True).exists():
        errors["name"] = _(
            "A token called “%(name)s” is already in use here: choose another name, or revoke "
            "that token first."
        ) % {"name": name}
    if errors:
        raise ValidationError(errors)
    key_id, secret, secret_hash = new_token()
    token = ApiToken(
        name=name,
        key_id=key_id,
        secret_hash=secret_hash,
        owner=by,
        member=member,
        scopes=scopes,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    log_activity(
        token,
        "network.api_token.created",
        by=by,
        data={
            "name": name,
            "prefix": token.prefix,
            "member": member.slug if member else "",
            "scopes": scopes,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke a token: the next request that presents it is refused (C5). Committee admins
    revoke their own member's tokens, staff any. Raises NotAllowed for anyone else and
    ValidationError if it is already revoked."""
    require(by, "network.revoke_api_token", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = acting_user(by)
    token.full_clean()
    token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    log_activity(
        token, "network.api_token.revoked", by=by, data={"name": token.name, "prefix": token.prefix}
    )
    return token
