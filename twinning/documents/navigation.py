"""Documents in the roles' homes and menus: a committee's documents (agreements, invitations,
proclamations, certificates); staff's texts of the documents."""

from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url


def _staff_links(scope: Scope) -> list[Link]:
    return [Link(_("Document texts"), url("documents:staff_template_list"))]


def _committee_links(scope: Scope) -> list[Link]:
    return [
        Link(
            _("Documents: agreements, invitations, certificates"),
            url("documents:portal_home", slug=scope["slug"]),
        )
    ]


def register() -> None:
    register_section("staff", order=48, links=_staff_links)
    register_section("committee_admin", order=46, links=_committee_links)
