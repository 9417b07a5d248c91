"""Interest between communities. When both sides have expressed it, the registry records a
proposed partnership (network's `record_partnership`, status "proposed", source
"matchmaking") and both sides receive an introduction through the outbox."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, acting_user, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.matchmaking import emails
from twinning.matchmaking.models import Interest, SeekingProfile
from twinning.network.models import Community, Partnership
from twinning.network.services import record_partnership
from twinning.outbox.services import queue_email


def addresses_of(community: Community) -> list[str]:
    """Who hears for `community`: the committee admins of the members holding it, and the
    contact staff recorded on a listed community's profile."""
    found = set(
        Community.objects.filter(pk=community.pk)
        .exclude(members__admins__email="")
        .values_list("members__admins__email", flat=True)
    )
    profile = SeekingProfile.objects.filter(community=community).first()
    if profile is not None and profile.contact_email:
        found.add(profile.contact_email)
    return sorted(address for address in found if address)


def _introduce(one: Community, other: Community, partnership: Partnership, by: Any) -> None:
    """Introduce each side to the other (one message per address, idempotent per pair)."""
    for side, partner in ((one, other), (other, one)):
        profile = SeekingProfile.objects.filter(community=partner).first()
        context = {
            "community": side.name,
            "partner": partner.name,
            "partner_country": partner.country.name,
            "partner_text": profile.text if profile else "",
            "partner_contacts": ", ".join(addresses_of(partner)) or _("the association"),
            "partner_url": absolute_url(partner.get_absolute_url()),
        }
        for address in addresses_of(side):
            queue_email(
                to=address,
                template=emails.INTRODUCTION,
                context=context,
                related=partnership,
                by=by,
                key=f"matchmaking.introduction.{partnership.pk}.{side.pk}.{address}",
            )


@transaction.atomic
def express_interest(
    *, community: Community, target: Community, note: str = "", by: Any
) -> Interest:
    """`community` says it would like `target` as a partner (a committee admin of a current
    member holding `community`, or staff for any). If `target` said so first, the two are
    introduced and a proposed partnership is recorded."""
    require(by, "matchmaking.act_for_community", community)
    if community.pk == target.pk:
        raise ValidationError(_("A community cannot be partnered with itself."))
    if Partnership.objects.between(community, target).exists():
        raise ValidationError(_("These two communities are already partners."))
    interest = Interest(community=community, target=target, note=note, expressed_by=acting_user(by))
    interest.full_clean(validate_constraints=False)
    if Interest.objects.filter(community=community, target=target).exists():
        raise ValidationError(_("You have already said you are interested in this community."))
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError as error:  # the same click twice at once
        raise ValidationError(_("You have already said you are interested.")) from error
    log_activity(interest, "matchmaking.interest.expressed", by=by, data={"target": target.name})
    back = (
        Interest.objects.select_for_update()
        .filter(community=target, target=community, partnership__isnull=True)
        .first()
    )
    if back is not None:
        # Both sides want it: the registry's own service records the proposed partnership. The
        # actor check was ours (a committee may not record partnerships itself): the platform
        # records it, and our audit entry names who completed the match.
        partnership = record_partnership(
            community=community,
            partner=target,
            status=Partnership.Status.PROPOSED,
            source="matchmaking",
            by=SYSTEM,
        )
        Interest.objects.filter(pk__in=[interest.pk, back.pk]).update(partnership=partnership)
        interest.partnership = partnership
        log_activity(
            interest,
            "matchmaking.interest.mutual",
            by=by,
            data={"a": community.name, "b": target.name, "partnership": partnership.pk},
        )
        _introduce(community, target, partnership, by)
    return interest


@transaction.atomic
def withdraw_interest(*, interest: Interest, by: Any) -> None:
    """Take back an interest not yet returned (once mutual, the registry's proposal stays)."""
    require(by, "matchmaking.act_for_community", interest.community)
    if interest.partnership_id is not None:
        raise ValidationError(_("This interest is mutual: the partnership is proposed already."))
    log_activity(
        interest, "matchmaking.interest.withdrawn", by=by, data={"target": str(interest.target)}
    )
    interest.delete()
