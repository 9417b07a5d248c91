"""The municipal expertise exchange (issue 11, section 4): a member's offers of expertise and
requests for help; a partner abroad's request through a single-use link the committee sends
(the grants' signature-link way: 256 random bits, only their SHA-256 kept, spent on use);
the match of a request with an offer (staff, or the requesting committee), introduced to both
sides through the outbox; a request's withdrawal by the side asking (its committee, or the
partner through its link) and a match declined by either side, each told to the other side;
and the outcome, recorded by staff, which activities' own services report and verify as a
peer-learning activity with its indicators (policies adopted, people trained), so it counts
on /impact/ and in activities' exports."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.activities.models import Activity, Sector
from twinning.activities.queries import member_partnerships
from twinning.activities.services import create_activity, submit_activity, verify_activity
from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.matchmaking import emails
from twinning.matchmaking.models import (
    ExchangeForm,
    ExpertiseMatch,
    ExpertiseOffer,
    ExpertiseRequest,
    field_label,
)
from twinning.matchmaking.queries import partners_among, want_of
from twinning.matchmaking.scoring import offer_reasons
from twinning.network.models import Community, Member, Partnership
from twinning.outbox.services import queue_email

OFFER_FIELDS = ("department", "field", "summary", "people", "languages", "forms", "is_open")
REQUEST_FIELDS = ("field", "problem", "languages", "forms")
LINK_DAYS = 30


def _own_community(member: Member, community: Community) -> None:
    if not member.communities.filter(pk=community.pk).exists():
        raise ValidationError({"community": _("Choose one of your member's communities.")})


def _set(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return changed


@transaction.atomic
def save_offer(
    *,
    member: Member,
    by: Any,
    offer: ExpertiseOffer | None = None,
    community: Community | None = None,
    **fields: Any,
) -> ExpertiseOffer:
    """Create an offer of expertise for one of `member`'s communities, or change `offer`
    (closing it with `is_open` False). The member's committee admins (current membership) or
    staff."""
    require(by, "matchmaking.act_for_member", member)
    if offer is None:
        if community is None:
            raise ValidationError({"community": _("Choose the community offering.")})
        _own_community(member, community)
        offer = ExpertiseOffer(member=member, community=community, created_by=acting_user(by))
    elif offer.member_id != member.pk:
        raise NotAllowed("matchmaking.act_for_member")
    created = offer.pk is None
    changed = _set(offer, fields, OFFER_FIELDS)
    log_activity(
        offer,
        "matchmaking.offer.created" if created else "matchmaking.offer.changed",
        by=by,
        data={k: str(v)[:200] for k, v in changed.items()},
    )
    return offer


@transaction.atomic
def create_request(
    *, member: Member, community: Community, by: Any, **fields: Any
) -> ExpertiseRequest:
    """One of `member`'s communities asks for help with a problem in a field (its committee
    admins, current membership, or staff)."""
    require(by, "matchmaking.act_for_member", member)
    _own_community(member, community)
    request = ExpertiseRequest(
        member=member,
        community=community,
        via=ExpertiseRequest.Via.ACCOUNT,
        created_by=acting_user(by),
    )
    _set(request, fields, REQUEST_FIELDS)
    log_activity(request, "matchmaking.request.created", by=by, data={"field": request.field})
    return request


@transaction.atomic
def invite_partner_request(
    *, member: Member, partnership: Partnership, contact_name: str, contact_email: str, by: Any
) -> ExpertiseRequest:
    """Send the partner abroad of one of `member`'s partnerships a single-use link to write
    an expertise request (valid LINK_DAYS days; spent when the request is sent)."""
    require(by, "matchmaking.act_for_member", member)
    own = set(member.communities.values_list("pk", flat=True))
    sides = {partnership.community_a_id, partnership.community_b_id}
    if not own & sides:
        raise ValidationError({"partnership": _("Choose one of your own partnerships.")})
    partner_ids = sides - own
    if not partner_ids:
        raise ValidationError({"partnership": _("Both sides of this partnership are yours.")})
    if not contact_email.strip():
        raise ValidationError({"contact_email": _("Enter the partner contact's e-mail.")})
    partner = Community.objects.get(pk=partner_ids.pop())
    token = secrets.token_urlsafe(32)
    request = ExpertiseRequest(
        member=member,
        community=partner,
        partnership=partnership,
        state=ExpertiseRequest.State.INVITED,
        via=ExpertiseRequest.Via.LINK,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        token_hash=hash_token(token),
        token_sent_at=timezone.now(),
        created_by=acting_user(by),
    )
    request.full_clean()
    request.save()
    queue_email(
        to=request.contact_email,
        template=emails.EXPERTISE_LINK,
        context={
            "name": request.contact_name,
            "member": member.name,
            "community": partner.name,
            "days": str(LINK_DAYS),
            "url": _link_url(token),
        },
        related=request,
        by=by,
    )
    log_activity(request, "matchmaking.request.link_sent", by=by, data={"to": contact_email})
    return request


def request_for_link(token: str) -> ExpertiseRequest | None:
    """The invited request a link is for, while unused and younger than LINK_DAYS days."""
    if not token or len(token) > 100:
        return None
    since = timezone.now() - datetime.timedelta(days=LINK_DAYS)
    return (
        ExpertiseRequest.objects.filter(
            token_hash=hash_token(token),
            state=ExpertiseRequest.State.INVITED,
            token_sent_at__gte=since,
        )
        .select_related("community__country", "member")
        .first()
    )


@transaction.atomic
def submit_request_by_link(*, token: str, contact_name: str, **fields: Any) -> ExpertiseRequest:
    """The partner abroad writes its request through the link (no account): the request opens
    and the link stops working. NotAllowed for an unknown, used or expired link; nothing
    changes on a ValidationError."""
    found = request_for_link(token)
    if found is None:
        raise NotAllowed("matchmaking.expertise_link")
    request = ExpertiseRequest.objects.select_for_update().get(pk=found.pk)
    request.state = ExpertiseRequest.State.OPEN
    # The writing link is spent; the partner receives another, to withdraw the request.
    withdraw_token = secrets.token_urlsafe(32)
    request.token_hash = hash_token(withdraw_token)
    request.token_sent_at = timezone.now()
    if contact_name.strip():
        request.contact_name = contact_name.strip()
    _set(request, fields, REQUEST_FIELDS)
    log_activity(
        request, "matchmaking.request.created", data={"field": request.field, "via": "link"}
    )
    queue_email(
        to=request.contact_email,
        template=emails.EXPERTISE_RECEIVED,
        context={
            "name": request.contact_name,
            "community": request.community.name,
            "field": field_label(request.field),
            "url": _link_url(withdraw_token),
        },
        related=request,
    )
    return request


def _link_url(token: str) -> str:
    return absolute_url(reverse("matchmaking:expertise_link", kwargs={"token": token}))


def request_for_withdrawal(token: str) -> ExpertiseRequest | None:
    """The request a partner's withdrawal link is for, while it can still be withdrawn."""
    if not token or len(token) > 100:
        return None
    return (
        ExpertiseRequest.objects.filter(
            token_hash=hash_token(token),
            state__in=[ExpertiseRequest.State.OPEN, ExpertiseRequest.State.MATCHED],
            via=ExpertiseRequest.Via.LINK,
        )
        .select_related("community__country", "member")
        .first()
    )


def _addresses(member: Member) -> list[str]:
    return sorted(
        set(member.admins.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def _request_side(request: ExpertiseRequest) -> list[str]:
    """Who speaks for the side asking: the member's committee admins, and the partner's
    contact for a partner's request."""
    addresses = _addresses(request.member)
    if request.contact_email:
        addresses.append(request.contact_email)
    return sorted(set(addresses))


def _introduce(match: ExpertiseMatch, by: Any) -> None:
    request, offer = match.request, match.offer
    request_side = _request_side(request)
    offer_side = _addresses(offer.member)
    context = {
        "field": field_label(request.field),
        "offer_community": offer.community.name,
        "request_community": request.community.name,
        "problem": request.problem,
        "summary": offer.summary,
        "form": str(ExchangeForm(match.form).label) if match.form else "",
        "contacts": ", ".join(sorted(set(request_side + offer_side))) or _("the association"),
    }
    for address in sorted(set(request_side + offer_side)):
        queue_email(
            to=address,
            template=emails.EXPERTISE_MATCH,
            context=context,
            related=match,
            by=by,
            key=f"matchmaking.expertise_match.{match.pk}.{address}",
        )


@transaction.atomic
def match_request(
    *, request: ExpertiseRequest, offer: ExpertiseOffer, form: str = "", by: Any
) -> ExpertiseMatch:
    """Match an open request with an open offer in its field (staff, or the requesting
    member's committee admins); both sides are introduced by e-mail."""
    require(by, "matchmaking.act_for_member", request.member)
    request = ExpertiseRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExpertiseRequest.State.OPEN:
        raise ValidationError(_("This request is no longer open."))
    if not offer.is_open:
        raise ValidationError(_("This offer is closed."))
    if offer.community_id == request.community_id:
        raise ValidationError(_("A community cannot be matched with its own offer."))
    if offer.field != request.field:
        raise ValidationError(_("This offer is in another field."))
    if form and form not in offer.forms:
        raise ValidationError({"form": _("Choose a way of working the offer proposes.")})
    if ExpertiseMatch.objects.filter(request=request, offer=offer).exists():
        raise ValidationError(
            _("This offer was matched with this request before, and declined: choose another.")
        )
    partners = partners_among({request.community_id})
    reasons = offer_reasons(want_of(request), want_of(offer), partners)
    match = ExpertiseMatch(
        request=request,
        offer=offer,
        score=sum(r.points for r in reasons),
        form=form or (offer.forms[0] if offer.forms else ""),
        matched_by=acting_user(by),
    )
    match.full_clean()
    match.save()
    request.state = ExpertiseRequest.State.MATCHED
    request.save(update_fields=["state", "updated_at"])
    log_activity(
        match,
        "matchmaking.expertise.matched",
        by=by,
        data={"request": request.pk, "offer": offer.pk, "score": match.score},
    )
    _introduce(match, by)
    return match


def _reporting(match: ExpertiseMatch) -> dict[str, Any]:
    """Who reports the exchange in activities, and on what: the partnership between the two
    communities when there is one (reported by the requesting member when it holds a side,
    else by the offering member); else the partnership a partner's link came through
    (reported by the member that sent it); else no partnership: the requesting member (or, if
    the community asking is not its own, the offering member) reports an exchange between its
    community and the other one, which are not (yet) partners."""
    request, offer = match.request, match.offer
    between = Partnership.objects.between(request.community, offer.community).first()
    if between is not None:
        for member in (request.member, offer.member):
            if member_partnerships(member).filter(pk=between.pk).exists():
                return {"member": member, "partnerships": [between]}
    if request.partnership is not None:
        return {"member": request.member, "partnerships": [request.partnership]}
    if request.member.communities.filter(pk=request.community_id).exists():
        return {
            "member": request.member,
            "community": request.community,
            "counterpart": offer.community,
        }
    return {"member": offer.member, "community": offer.community, "counterpart": request.community}


@transaction.atomic
def record_outcome(
    *,
    match: ExpertiseMatch,
    start_date: datetime.date,
    end_date: datetime.date,
    policies_adopted: int,
    people_trained: int,
    outcome: str,
    by: Any,
) -> ExpertiseMatch:
    """Staff record what came of a matched exchange once it took place: its dates, the
    policies adopted and the people trained, in words. The exchange is reported in activities
    through activities' own services (created, submitted and verified: sector municipal, the
    field as its kind, the people trained as participants over 30, and the two indicators as
    the activity's own), so it counts on /impact/ and in its exports; matchmaking keeps the
    link to that activity, not a second tally. Recorded once; a declined match is not."""
    require(by, "matchmaking.manage")
    match = ExpertiseMatch.objects.select_for_update().get(pk=match.pk)
    if match.is_declined:
        raise ValidationError(_("This match was declined: there is no outcome to record."))
    if match.is_recorded:
        raise ValidationError(_("The outcome of this exchange is recorded already."))
    if policies_adopted < 0 or people_trained < 0:
        raise ValidationError(_("Counts cannot be negative."))
    match.start_date, match.end_date = start_date, end_date
    match.outcome = outcome.strip()
    match.recorded_at = timezone.now()
    match.full_clean()
    match.activity = _report_activity(
        match, policies_adopted=policies_adopted, people_trained=people_trained, by=by
    )
    match.save()
    # The exchange took place: the partner's withdrawal link has nothing left to withdraw.
    ExpertiseRequest.objects.filter(pk=match.request_id).update(token_hash="")
    log_activity(
        match,
        "matchmaking.expertise.outcome",
        by=by,
        data={
            "policies_adopted": policies_adopted,
            "people_trained": people_trained,
            "activity": match.activity.pk,
        },
    )
    return match


def _report_activity(
    match: ExpertiseMatch, *, policies_adopted: int, people_trained: int, by: Any
) -> Activity:
    request, offer = match.request, match.offer
    trained = "visitors_over_30" if match.form == ExchangeForm.VISIT else "hosts_over_30"
    label = field_label(request.field)
    participants: dict[str, Any] = {trained: people_trained}
    activity = create_activity(
        **_reporting(match),
        by=by,
        title=(
            _("Peer learning in %(field)s: %(offer)s with %(request)s")
            % {"field": label, "offer": offer.community.name, "request": request.community.name}
        )[:200],
        sector=Sector.MUNICIPAL,
        kind=request.field,
        description=f"{request.problem}\n\n{offer.summary}"[:5000],
        start_date=match.start_date,
        end_date=match.end_date,
        policies_adopted=policies_adopted,
        people_trained=people_trained,
        follow_ups=match.outcome,
        **participants,
    )
    submit_activity(activity=activity, by=by)
    return verify_activity(activity=activity, by=by)


# --- Withdrawal and decline ----------------------------------------------------------------------

REASON_LIMIT = 2000


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Tell the other side why, in a few words.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": REASON_LIMIT}}
        )
    return reason


def _live_match(request: ExpertiseRequest) -> ExpertiseMatch | None:
    return (
        ExpertiseMatch.objects.live()
        .select_for_update()
        .select_related("offer__community", "offer__member")
        .filter(request=request)
        .first()
    )


def _tell(
    addresses: list[str], *, template: str, context: dict[str, Any], related: Any, by: Any
) -> None:
    for address in sorted(set(addresses)):
        queue_email(to=address, template=template, context=context, related=related, by=by)


def _close(request: ExpertiseRequest, *, reason: str, by: Any, via: str) -> ExpertiseRequest:
    """Withdraw `request` (locked): a live match not yet recorded is declined with it, and
    the other side (the offering member, and whoever speaks for the side asking but did not
    withdraw it) is told by e-mail."""
    if request.state not in (
        ExpertiseRequest.State.INVITED,
        ExpertiseRequest.State.OPEN,
        ExpertiseRequest.State.MATCHED,
    ):
        raise ValidationError(_("This request is withdrawn already."))
    match = _live_match(request)
    if match is not None and match.is_recorded:
        raise ValidationError(
            _("This exchange has taken place and its outcome is recorded: it stays on record.")
        )
    old = request.state
    request.state = ExpertiseRequest.State.CLOSED
    request.withdrawn_at = timezone.now()
    request.withdrawn_reason = reason
    request.token_hash = ""  # the partner's link, whichever it was, is spent
    request.save()
    told = []
    if via == "link":  # the partner withdrew: the member that sent the link hears of it
        told += _addresses(request.member)
    elif request.contact_email:  # the committee withdrew a partner's request
        told.append(request.contact_email)
    if match is not None:
        match.declined_at = timezone.now()
        match.declined_by = acting_user(by)
        match.declined_side = ExpertiseMatch.Side.REQUEST
        match.decline_reason = reason
        match.save()
        told += _addresses(match.offer.member)
    _tell(
        told,
        template=emails.EXPERTISE_WITHDRAWN,
        context={
            "community": request.community.name,
            "field": field_label(request.field) if request.field else _("municipal services"),
            "reason": reason or _("No reason was given."),
        },
        related=request,
        by=by,
    )
    log_activity(
        request,
        "matchmaking.request.withdrawn",
        by=by,
        data={
            "from": old,
            "via": via,
            "match": match.pk if match else None,
            "reason": reason[:500],
        },
    )
    return request


@transaction.atomic
def withdraw_request(*, request: ExpertiseRequest, reason: str, by: Any) -> ExpertiseRequest:
    """The side asking withdraws its request (the requesting member's committee admins, or
    staff): a link not yet used stops working, a match not yet recorded is declined, and the
    other side is told. The reason is optional. ValidationError once withdrawn or recorded."""
    require(by, "matchmaking.act_for_member", request.member)
    reason = _reason(reason, required=False)
    request = ExpertiseRequest.objects.select_for_update().get(pk=request.pk)
    return _close(request, reason=reason, by=by, via="account")


@transaction.atomic
def withdraw_request_by_link(*, token: str, reason: str) -> ExpertiseRequest:
    """The partner abroad withdraws its request through its link: the invitation it has not
    used yet (it needs no help after all), or the withdrawal link it received once it wrote
    the request. The link is then spent; the member that sent it (and the offering member,
    if matched) is told. NotAllowed for an unknown, used or expired link."""
    found = request_for_link(token) or request_for_withdrawal(token)
    if found is None:
        raise NotAllowed("matchmaking.expertise_link")
    reason = _reason(reason, required=False)
    request = ExpertiseRequest.objects.select_for_update().get(pk=found.pk)
    return _close(request, reason=reason, by=None, via="link")


@transaction.atomic
def decline_match(*, match: ExpertiseMatch, member: Member, reason: str, by: Any) -> ExpertiseMatch:
    """One side declines a match before it took place, with a reason: `member` is the side
    (the offering or the requesting member; its committee admins, or staff). The request is
    open again for another offer (never this one again) and the other side is told by
    e-mail. NotAllowed for a member that is neither side; ValidationError once declined or
    recorded, or without a reason."""
    require(by, "matchmaking.act_for_member", member)
    return _decline(match, reason=reason, by=by, member=member)


@transaction.atomic
def decline_match_for_side(
    *, match: ExpertiseMatch, side: str, reason: str, by: Any
) -> ExpertiseMatch:
    """Staff decline a match on one side's behalf (`side`: the request's or the offer's; a
    side that asked the association by telephone or e-mail), with a reason. As
    `decline_match`, and both sides are told, since the side declined for did not press the
    button itself; the audit entry says it was on its behalf. Staff only (NotAllowed)."""
    require(by, "matchmaking.manage")
    if side not in ExpertiseMatch.Side.values:
        raise ValidationError({"side": _("Choose the side that declines.")})
    return _decline(match, reason=reason, by=by, side=ExpertiseMatch.Side(side))


def _side_of(member: Member | None, match: ExpertiseMatch) -> ExpertiseMatch.Side:
    if member is not None and member.pk == match.request.member_id:
        return ExpertiseMatch.Side.REQUEST
    if member is not None and member.pk == match.offer.member_id:
        return ExpertiseMatch.Side.OFFER
    raise NotAllowed("matchmaking.act_for_member")


def _decline(
    match: ExpertiseMatch,
    *,
    reason: str,
    by: Any,
    member: Member | None = None,
    side: ExpertiseMatch.Side | None = None,
) -> ExpertiseMatch:
    """Decline `match` for the side `member` is (a side's own decline), or for `side` (staff
    on its behalf); the caller checked the actor."""
    match = (
        ExpertiseMatch.objects.select_for_update()
        .select_related(
            "request__community", "request__member", "offer__community", "offer__member"
        )
        .get(pk=match.pk)
    )
    request, offer = match.request, match.offer
    on_behalf = side is not None
    if side is None:
        side = _side_of(member, match)
    reason = _reason(reason, required=True)
    if match.is_declined:
        raise ValidationError(_("This match is declined already."))
    if match.is_recorded:
        raise ValidationError(
            _("This exchange has taken place and its outcome is recorded: it stays on record.")
        )
    match.declined_at = timezone.now()
    match.declined_by = acting_user(by)
    match.declined_side = side
    match.decline_reason = reason
    match.save()
    ExpertiseRequest.objects.filter(pk=request.pk).update(
        state=ExpertiseRequest.State.OPEN, updated_at=timezone.now()
    )
    request_side, offer_side = _request_side(request), _addresses(offer.member)
    told = offer_side if side == ExpertiseMatch.Side.REQUEST else request_side
    if on_behalf:  # the side declined for hears of it too
        told = request_side + offer_side
    _tell(
        told,
        template=emails.EXPERTISE_DECLINED,
        context={
            "field": field_label(request.field),
            "by_community": (
                request if side == ExpertiseMatch.Side.REQUEST else offer
            ).community.name,
            "other_community": (
                offer if side == ExpertiseMatch.Side.REQUEST else request
            ).community.name,
            "reason": reason,
        },
        related=match,
        by=by,
    )
    data = {"side": side.value, "request": request.pk, "offer": offer.pk, "reason": reason[:500]}
    if on_behalf:
        data["on_behalf"] = True
    log_activity(match, "matchmaking.expertise.declined", by=by, data=data)
    return match
