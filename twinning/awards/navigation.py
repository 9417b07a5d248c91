"""The awards' part of the roles' homes and menus: staff's cycles and the current cycle; a
committee's awards page (with its nominations) and nominating a person of another committee;
the public archive for everyone signed in. Judges review nominations in the engine's queue
(/review/), which the review app's menu already links."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.awards.models import Cycle, Nomination
from twinning.core.navigation import Link, Scope, register_section, url


def _cycle(request: HttpRequest, scope: Scope) -> Scope:
    latest = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
    return {"awards_year": latest} if latest else {}


def _staff_links(scope: Scope) -> list[Link]:
    links = [Link(_("Awards cycles"), url("awards:staff_cycles"))]
    if scope.get("awards_year"):
        year = scope["awards_year"]
        links.append(
            Link(_("Awards %(year)s") % {"year": year}, url("awards:staff_cycle", year=year))
        )
    links.append(Link(_("Nominate a volunteer or youth leader"), url("awards:nominate_other")))
    links.append(Link(_("Awards winners archive"), url("awards:archive")))
    return links


def _committee_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Awards and nominations"), url("awards:portal", member=scope["slug"])),
        Link(_("Nominate a volunteer or youth leader"), url("awards:nominate_other")),
        Link(_("Awards winners archive"), url("awards:archive")),
    ]


def _committee_tasks(request: HttpRequest, scope: Scope) -> list[Link]:
    drafts = Nomination.objects.filter(
        member__slug=scope["slug"], state=Nomination.State.DRAFT
    ).count()
    return [
        Link(
            _("Award nominations in draft"),
            url("awards:portal", member=scope["slug"]),
            drafts,
        )
    ]


def _judge_links(scope: Scope) -> list[Link]:
    return [Link(_("Awards winners archive"), url("awards:archive"))]


def register() -> None:
    register_section("staff", order=76, links=_staff_links, facts=_cycle)
    register_section("committee_admin", order=76, links=_committee_links, tasks=_committee_tasks)
    register_section("judge", order=76, links=_judge_links)
