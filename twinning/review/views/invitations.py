"""Accepting an invitation to a round's pool (B11): the link's token goes into the session and
leaves the address bar at once (as Django's password reset does); the signed-in user then
accepts, which binds the single-use invitation to them. Used, expired or unknown tokens answer
404 whoever asks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.core.authz import NotAllowed
from twinning.review.services import accept_invitation, find_invitation

SESSION_KEY = "review_invitation_token"


@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    if find_invitation(token) is None:
        raise Http404
    request.session[SESSION_KEY] = token
    return redirect("review:invitation_accept")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY, "")
    invitation = find_invitation(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            accept_invitation(token=token, by=request.user)
        except NotAllowed as error:
            raise Http404 from error
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request, _("Welcome to the judges of “%(round)s”.") % {"round": invitation.round.name}
        )
        return redirect("review:queue")
    return render(request, "review/invitation_accept.html", {"invitation": invitation})
