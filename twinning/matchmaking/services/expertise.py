"""The municipal expertise exchange (issue 11, section 4): a member's offers of expertise and
requests for help; a partner abroad's request through a single-use link the committee sends
(the grants' signature-link way: 256 random bits, only their SHA-256 kept, spent on use);
the match of a request with an offer (staff, or the requesting committee), introduced to both
sides through the outbox; and its outcome, recorded by staff, which activities' own services
report and verify as a peer-learning activity so it counts on /impact/."""

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
            "url": absolute_url(reverse("matchmaking:expertise_link", kwargs={"token": token})),
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
    request.token_hash = ""  # spent
    if contact_name.strip():
        request.contact_name = contact_name.strip()
    _set(request, fields, REQUEST_FIELDS)
    log_activity(
        request, "matchmaking.request.created", data={"field": request.field, "via": "link"}
    )
    return request


def _addresses(member: Member) -> list[str]:
    return sorted(
        set(member.admins.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def _introduce(match: ExpertiseMatch, by: Any) -> None:
    request, offer = match.request, match.offer
    request_side = _addresses(request.member)
    if request.contact_email:
        request_side.append(request.contact_email)
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


def _reporting(match: ExpertiseMatch) -> tuple[Member, Partnership] | None:
    """Which member reports the exchange in activities, on which partnership: the partnership
    between the two communities when there is one (reported by the requesting member when it
    holds a side, else by the offering member); else the partnership a partner's link came
    through (reported by the member that sent it); else none (activities reports an activity
    on a partnership of the member: two members that are not partners have none)."""
    request, offer = match.request, match.offer
    between = Partnership.objects.between(request.community, offer.community).first()
    if between is not None:
        for member in (request.member, offer.member):
            if member_partnerships(member).filter(pk=between.pk).exists():
                return member, between
    if request.partnership is not None:
        return request.member, request.partnership
    return None


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
    policies adopted and the people trained, in words. The exchange is then reported in
    activities through activities' own services (created, submitted and verified: sector
    municipal, the field as its kind, the people trained as participants over 30) so it
    counts on /impact/; the indicators themselves are matchmaking's, shown there in its panel.
    Recorded once."""
    require(by, "matchmaking.manage")
    match = ExpertiseMatch.objects.select_for_update().get(pk=match.pk)
    if match.is_recorded:
        raise ValidationError(_("The outcome of this exchange is recorded already."))
    if policies_adopted < 0 or people_trained < 0:
        raise ValidationError(_("Counts cannot be negative."))
    match.start_date, match.end_date = start_date, end_date
    match.policies_adopted, match.people_trained = policies_adopted, people_trained
    match.outcome = outcome.strip()
    match.recorded_at = timezone.now()
    match.full_clean()
    reporting = _reporting(match)
    if reporting is not None:
        match.activity = _report_activity(match, *reporting, by=by)
    match.save()
    log_activity(
        match,
        "matchmaking.expertise.outcome",
        by=by,
        data={
            "policies_adopted": policies_adopted,
            "people_trained": people_trained,
            "activity": match.activity_id,
        },
    )
    return match


def _report_activity(
    match: ExpertiseMatch, member: Member, partnership: Partnership, *, by: Any
) -> Activity:
    request, offer = match.request, match.offer
    trained = "visitors_over_30" if match.form == ExchangeForm.VISIT else "hosts_over_30"
    label = field_label(request.field)
    activity = create_activity(
        member=member,
        partnerships=[partnership],
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
        follow_ups=(
            _("Policies adopted: %(p)d. People trained: %(t)d.")
            % {"p": match.policies_adopted, "t": match.people_trained}
            + ("\n\n" + match.outcome if match.outcome else "")
        ),
        **{trained: match.people_trained},
    )
    submit_activity(activity=activity, by=by)
    return verify_activity(activity=activity, by=by)
