"""The public side of the awards: the permanent winners archive (by year, category and
community; only announced cycles), a page per honour with its story, photos and partner city,
the winners' photos, and the confirmation page of a third party's nomination (its single-use
link is the authority)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from twinning.awards.models import Attachment, Honour
from twinning.awards.services import confirm_nomination, nomination_for_token, token_problem
from twinning.core.media import media_response, private_storage

PAGE_SIZE = 50


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    honours = Honour.objects.public().select_related("community__country")
    years = sorted(set(honours.values_list("year", flat=True)), reverse=True)
    categories = sorted(set(honours.values_list("category", flat=True)))
    year, category = request.GET.get("year", ""), request.GET.get("category", "")
    community = request.GET.get("community", "").strip()[:100]
    if year.isdigit():
        honours = honours.filter(year=int(year))
    if category:
        honours = honours.filter(category=category)
    if community:
        honours = honours.filter(community_name__icontains=community)
    page = Paginator(honours.order_by("-year", "category", "outcome", "community_name"), PAGE_SIZE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "years": years,
        "categories": categories,
        "year": year,
        "category": category,
        "community": community,
    }
    return render(request, "awards/archive.html", context)


def _public_honour(pk: int) -> Honour:
    return get_object_or_404(
        Honour.objects.public().select_related("community__country", "nomination"), pk=pk
    )


@require_safe
def winner(request: HttpRequest, pk: int) -> HttpResponse:
    honour = _public_honour(pk)
    photos = []
    if honour.nomination is not None:
        photos = list(honour.nomination.attachments.filter(kind=Attachment.Kind.IMAGE))
    return render(request, "awards/winner.html", {"honour": honour, "photos": photos})


@require_safe
def winner_photo(request: HttpRequest, pk: int, photo: int, size: str) -> HttpResponseBase:
    honour = _public_honour(pk)
    if size not in ("display", "thumb") or not honour.nomination_id:
        raise Http404
    attachment = get_object_or_404(
        Attachment, pk=photo, nomination_id=honour.nomination_id, kind=Attachment.Kind.IMAGE
    )
    name, mime = (
        (attachment.file_name, attachment.mime)
        if size == "display"
        else (attachment.thumb_name, attachment.thumb_mime)
    )
    return media_response(
        private_storage, name, content_type=mime, download_name=attachment.display_name, inline=True
    )


@never_cache  # a page opened through a mailed link shows that nomination to whoever holds it
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    nomination = nomination_for_token(token)
    problem = token_problem(nomination)
    if request.method == "POST" and not problem:
        try:
            confirm_nomination(token=token)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _confirmed_text())
            return redirect("awards:archive")
    status = 410 if problem and nomination is not None else 404 if problem else 200
    return render(
        request,
        "awards/confirm.html",
        {"nomination": None if problem else nomination, "problem": problem},
        status=status,
    )


def _confirmed_text() -> str:
    from django.utils.translation import gettext as _

    return _("Thank you: the nomination is confirmed and counts.")
