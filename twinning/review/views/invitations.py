"""Accepting an invitation to a round's pool (AUTH-11): the link's token goes into the session and
leaves the address bar at once (as Django's password reset does); the signed-in user then
accepts, which binds the single-use invitation to them (opening the link spends nothing). A
used or expired link answers 410 and an unknown one 404, each with a page saying so."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.core.authz import NotAllowed
from twinning.review.services import accept_invitation, find_invitation, invitation_problem

SESSION_KEY = "review_invitation_token"


def _unusable(request: HttpRequest, token: str) -> HttpResponse:
    reason = invitation_problem(token)
    status = 404 if reason == "unknown" else 410
    return render(request, "review/invitation_unusable.html", {"reason": reason}, status=status)


@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    if find_invitation(token) is None:
        return _unusable(request, token)
    request.session[SESSION_KEY] = token
    return redirect("review:invitation_accept")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY, "")
    invitation = find_invitation(token)
    if invitation is None:
        return _unusable(request, token)
    if request.method == "POST":
        try:
            accept_invitation(token=token, by=request.user)
        except NotAllowed:
            return _unusable(request, token)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request, _("Welcome to the judges of “%(round)s”.") % {"round": invitation.round.name}
        )
        return redirect("review:queue")
    return render(request, "review/invitation_accept.html", {"invitation": invitation})
