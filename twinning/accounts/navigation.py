"""The roles every app shares: the signed-in person ("your account") and association staff
(twinning.core.navigation explains the registry)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_role, register_section, url


def _signed_in(request: HttpRequest) -> list[Scope]:
    return [{}] if request.user.is_authenticated else []


def _staff(request: HttpRequest) -> list[Scope]:
    return [{}] if request.user.is_authenticated and request.user.is_staff else []


def _account_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Home"), url("core:home")),
        Link(_("Profile"), url("accounts:profile")),
        Link(_("Change your password"), url("accounts:password_change")),
    ]


def _staff_links(scope: Scope) -> list[Link]:
    return [
        Link(_("Staff dashboard"), url("network:staff_dashboard")),
        Link(_("Back office"), url("admin:index")),
    ]


def register() -> None:
    register_role("staff", order=10, label=lambda scope: _("Staff"), detect=_staff)
    register_role("account", order=90, label=lambda scope: _("Your account"), detect=_signed_in)
    register_section("staff", order=10, links=_staff_links)
    register_section("account", order=10, links=_account_links)
