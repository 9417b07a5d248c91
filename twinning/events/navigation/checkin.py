"""The events navigation: check-in part. Staff reach the events to check in from their menu;
an event's organisers who are not staff (a region's coordinators) from their account menu;
everyone signed in reaches their event tickets."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from twinning.core.navigation import Link, Scope, register_section, url
from twinning.events.models import Event


def _staff_links(scope: Scope) -> list[Link]:
    return [Link(_("Event check-in and badges"), url("events:checkin_home"))]


def _organiser(request: HttpRequest, scope: Scope) -> Scope:
    user = request.user
    organises = not user.is_staff and Event.objects.organised_by(user).exists()
    return {"checks_in": organises}


def _account_links(scope: Scope) -> list[Link]:
    links = [Link(_("Your event tickets"), url("events:my_tickets"))]
    if scope.get("checks_in"):
        links.append(Link(_("Event check-in"), url("events:checkin_home")))
    return links


def register() -> None:
    register_section("staff", order=83, links=_staff_links)
    register_section("account", order=83, links=_account_links, facts=_organiser)
