"""The registry's part of the roles' homes and menus: staff's queues (committees' requests,
flagged locations) and each committee admin's member organisation, one menu per member."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url
from twinning.network.models import Community, Member, PartnershipProposal


def _committees(request: HttpRequest) -> list[Scope]:
    members = Member.objects.administered_by(request.user).order_by("name")
    return [{"slug": slug, "name": name} for slug, name in members.values_list("slug", "name")]


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Committees' requests"), url("network:staff_proposal_list")),
        Link(_("Record a partnership"), url("network:staff_partnership_create")),
        Link(_("Locations to review"), url("network:staff_location_list")),
        Link(_("API tokens"), url("network:staff_token_list")),
    ]


def _staff_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    pending = PartnershipProposal.objects.filter(state=PartnershipProposal.State.PENDING).count()
    flagged = Community.objects.needing_location_review().count()
    return [
        Link(_("Requests from committees to review"), url("network:staff_proposal_list"), pending),
        Link(_("Locations to review"), url("network:staff_location_list"), flagged),
    ]


def _committee_links(scope: Scope) -> list[Link]:
    slug = scope["slug"]
    return [
        Link(_("Communities and partnerships"), url("network:portal_member", slug=slug)),
        Link(_("Public profile"), url("network:portal_member_edit", slug=slug)),
        Link(_("Propose a partnership"), url("network:portal_proposal_create", slug=slug)),
        Link(_("API tokens"), url("network:portal_token_list", slug=slug)),
    ]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    pending = PartnershipProposal.objects.filter(
        member__slug=scope["slug"], state=PartnershipProposal.State.PENDING
    ).count()
    return [
        Link(
            _("Your requests waiting for staff"),
            url("network:portal_member", slug=scope["slug"]),
            pending,
        )
    ]


def register() -> None:
    register_role(
        "committee_admin", order=20, label=lambda scope: scope["name"], detect=_committees
    )
    register_section("staff", order=20, links=_staff_links, tasks=_staff_tasks)
    register_section("committee_admin", order=40, links=_committee_links, tasks=_committee_tasks)
