"""Who may enter an edition, computed and never typed (issue 3 §1, PRIV-1, PRIV-2): the student's
age on the edition's cut-off date, and whether their community is a member community in good
standing or a sister city of one (from the registry and the members app)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from twinning.members.standing import is_in_good_standing
from twinning.network.models import Community, Member, Partnership
from twinning.showcase.models import PROGRAM, Edition
from twinning.youth.age import AGE_OF_MAJORITY, age_on, minimum_age

__all__ = ["AGE_OF_MAJORITY", "Eligibility", "age_on", "check_eligibility", "needs_guardian"]


def needs_guardian(date_of_birth: datetime.date, edition: Edition, today: datetime.date) -> bool:
    """A guardian consents for a student under 18 today or on the cut-off date (the stricter)."""
    return age_on(date_of_birth, min(today, edition.cutoff_date)) < AGE_OF_MAJORITY


def _member_communities_in_good_standing(members: list[Member], on: datetime.date) -> list[Member]:
    return [member for member in members if is_in_good_standing(member, on=on)]


def community_eligibility(community: Community, on: datetime.date) -> tuple[bool, str]:
    """Whether students of `community` may take part on `on`, and a sentence saying why."""
    own = _member_communities_in_good_standing(
        list(Member.objects.filter(communities=community).distinct()), on
    )
    if own:
        return True, _("%(community)s is a member community of %(member)s.") % {
            "community": community.name,
            "member": own[0].name,
        }
    partnerships = (
        Partnership.objects.current()
        .of_community(community)
        .select_related("community_a", "community_b")
    )
    partners = [p.partner_of(community) for p in partnerships]
    if partners:
        members = list(
            Member.objects.filter(communities__in=partners)
            .distinct()
            .prefetch_related("communities")
        )
        for member in _member_communities_in_good_standing(members, on):
            sister = next(c for c in member.communities.all() if c in partners)
            return True, _("%(community)s is a sister city of %(sister)s, a member community.") % {
                "community": community.name,
                "sister": sister.name,
            }
    return False, _(
        "%(community)s is neither a member community of the association in good standing "
        "nor a sister city of one, so its students cannot take part this year. A local "
        "twinning committee can join the association: ask your school or town hall."
    ) % {"community": community.name}


@dataclass
class Eligibility:
    """The answer to "may this student enter?" with every reason why not, in plain words."""

    too_young: bool = False
    too_old: bool = False
    reasons: list[str] = field(default_factory=list)
    guardian_needed: bool = False

    @property
    def eligible(self) -> bool:
        return not self.reasons


def check_eligibility(
    *,
    edition: Edition,
    date_of_birth: datetime.date,
    community: Community,
    today: datetime.date,
) -> Eligibility:
    """Age on the cut-off date and the community's standing on `today`."""
    result = Eligibility()
    age = age_on(date_of_birth, edition.cutoff_date)
    lowest = minimum_age(PROGRAM, edition.age_min)  # the program's 13, or the edition's more
    if age < lowest:
        result.too_young = True
        result.reasons.append(
            _(
                "Thank you for your interest! This showcase is for students aged "
                "%(min)s to %(max)s, so you cannot take part yet. We hope to see your work "
                "in a future year."
            )
            % {"min": lowest, "max": edition.age_max}
        )
        return result  # nothing else is said (or kept) about a child below the minimum
    if age > edition.age_max:
        result.too_old = True
        result.reasons.append(
            _("This showcase is for students aged %(min)s to %(max)s on %(date)s.")
            % {"min": edition.age_min, "max": edition.age_max, "date": edition.cutoff_date}
        )
    ok, why = community_eligibility(community, today)
    if not ok:
        result.reasons.append(why)
    result.guardian_needed = needs_guardian(date_of_birth, edition, today)
    return result
