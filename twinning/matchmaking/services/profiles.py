"""Seeking profiles: a committee (or staff) keeps its community's profile; staff list a
community abroad that is no member at a partner association's request.

The registry's `Member.seeking_partner` flag stays as the member's summary ("one of our
communities is seeking"), kept in step here: it is written only through network's own
`update_member_profile`, as the platform (SYSTEM), after each change of a profile."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, acting_user, require
from twinning.core.services import log_activity
from twinning.matchmaking.models import SeekingProfile
from twinning.network.models import Community, Member, Region
from twinning.network.services import update_member_profile

PROFILE_FIELDS = (
    "is_open",
    "preferred_countries",
    "preferred_regions",
    "population_min",
    "population_max",
    "sectors",
    "languages",
    "text",
)
STAFF_FIELDS = ("requested_by", "contact_name", "contact_email")


def sync_member_flags(community: Community) -> None:
    """Each member holding `community` says it is seeking while one of its communities has an
    open profile (network's flag, shown on its pages)."""
    for member in Member.objects.filter(communities=community):
        seeking = SeekingProfile.objects.open().of_member(member).exists()
        if member.seeking_partner != seeking:
            update_member_profile(member=member, seeking_partner=seeking, by=SYSTEM)


def _apply(profile: SeekingProfile, fields: dict[str, Any], allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if "preferred_regions" in fields:
        fields["preferred_regions"] = [r for r in Region.values if r in fields["preferred_regions"]]
    if "preferred_countries" in fields:
        fields["preferred_countries"] = sorted({c.upper() for c in fields["preferred_countries"]})
    changed = {k: v for k, v in fields.items() if getattr(profile, k) != v}
    for name, value in changed.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return changed


@transaction.atomic
def save_profile(*, community: Community, by: Any, **fields: Any) -> SeekingProfile:
    """Create or change `community`'s seeking profile (a committee admin of a current member
    holding it, or staff). Only the profile's own fields may change; closing it (`is_open`
    False) takes the community off the public list and out of others' suggestions' bonus."""
    require(by, "matchmaking.act_for_community", community)
    profile = SeekingProfile.objects.filter(community=community).first()
    created = profile is None
    if profile is None:
        profile = SeekingProfile(community=community, created_by=acting_user(by))
    changed = _apply(profile, fields, PROFILE_FIELDS)
    log_activity(
        profile,
        "matchmaking.profile.created" if created else "matchmaking.profile.changed",
        by=by,
        data={k: str(v)[:200] for k, v in changed.items()},
    )
    sync_member_flags(community)
    return profile


@transaction.atomic
def list_community_abroad(
    *, community: Community, requested_by: str, by: Any, **fields: Any
) -> SeekingProfile:
    """Staff list a community that is no member as seeking a partner, at the request of a
    partner association (named in `requested_by`, with its contact)."""
    require(by, "matchmaking.manage")
    if community.members.exists():
        raise ValidationError(
            {"community": _("This community is a member's: its committee keeps its profile.")}
        )
    if not requested_by.strip():
        raise ValidationError({"requested_by": _("Name the association that asked for this.")})
    profile = SeekingProfile.objects.filter(community=community).first()
    created = profile is None
    if profile is None:
        profile = SeekingProfile(community=community, created_by=acting_user(by))
    fields["requested_by"] = requested_by.strip()
    changed = _apply(profile, fields, PROFILE_FIELDS + STAFF_FIELDS)
    log_activity(
        profile,
        "matchmaking.profile.listed" if created else "matchmaking.profile.changed",
        by=by,
        data={k: str(v)[:200] for k, v in changed.items()},
    )
    return profile
