"""Public pages: active appeals and projects on the world map, an appeal's page (goal and
progress, confirmed needs with their fulfilment, updates, the ledger, shipments), the ledger
as CSV, photos, and the partner contact's single-use link."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.core.authz import NotAllowed
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.core.maps import Place, cached_places_map_svg
from twinning.core.media import media_response, private_storage
from twinning.core.paging import paginate
from twinning.relief import queries
from twinning.relief.forms import PartnerNeedsForm, ReceiptForm
from twinning.relief.models import Appeal, PartnerLink, Photo
from twinning.relief.pdf import render_receipt
from twinning.relief.services import (
    RECEIPT_LINK_DAYS,
    NewNeed,
    confirm_needs_with_link,
    confirm_receipt_with_link,
    donation_for_receipt_token,
    ledger_snapshot,
    link_for_token,
    use_receipt_link,
)
from twinning.relief.views import appeal_for

SHIPMENTS_SHOWN = 5  # the latest; the shipments' pages have them all
LEDGER_SHOWN = 10  # the latest lines of money in and out; the ledger's pages have them all
SECTIONS_SECONDS = 24 * 60 * 60  # a changed appeal has a new key: the day only frees memory


@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    today = association_today()
    appeals = list(
        Appeal.objects.active(today)
        .select_related("community__country")
        .order_by("kind", "-starts_on", "title")
    )
    places = [
        Place(a.title, a.community.latitude, a.community.longitude)
        for a in appeals
        if a.community.latitude is not None and a.community.longitude is not None
    ]
    closed = Appeal.objects.filter(status=Appeal.Status.CLOSED).order_by("-starts_on")[:20]
    return render(
        request,
        "relief/appeal_list.html",
        {
            "appeals": appeals,
            "closed": closed,
            "map": cached_places_map_svg(places, label=_("Active appeals and projects")),
        },
    )


@require_safe
def appeal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = appeal_for(request, slug, "relief.view_appeal")
    progress, sections = appeal_sections(appeal)
    return render(
        request,
        "relief/appeal_detail.html",
        {
            "appeal": appeal,
            "overdue": appeal.is_overdue(association_today()),
            "progress": progress,
            "sections": sections,
            "can_pledge": request.user.has_perm("relief.pledge_appeal", appeal)
            and appeal.status == Appeal.Status.OPEN,
            "can_organise": request.user.has_perm("relief.organise_appeal", appeal),
            "can_partner": request.user.has_perm("relief.partner_appeal", appeal),
        },
    )


def appeal_sections(appeal: Appeal) -> tuple[queries.Progress, SafeString]:
    """The progress and the rendered sections of the appeal's page (story, photos, needs,
    updates, the ledger's balances and latest lines, the latest shipments): the same for
    everyone, so cached under the appeal's versions. Every service that changes what they
    show moves one of them in its own transaction (`ledger_version`: money in and out;
    `page_version`: needs, updates, photos, shipments; `updated_at`: the appeal's own
    fields), so a changed appeal has a new key: never stale, nothing to delete. A hit costs no
    query; a miss the nine of the sections."""
    key = ":".join(
        (
            "relief:appeal-sections",
            str(appeal.pk),
            appeal.updated_at.isoformat(),
            str(appeal.ledger_version),
            str(appeal.page_version),
            str(appeal.pledge_count),
            get_language() or "",
        )
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    totals = list(appeal.totals.all())
    shipments = list(queries.shipments(appeal)[: SHIPMENTS_SHOWN + 1])
    html = render_to_string(
        "relief/_appeal_sections.html",
        {
            "appeal": appeal,
            "needs": queries.confirmed_needs(appeal),
            "updates": appeal.updates.all()[:10],
            "balances": queries.balances(appeal, totals),
            "money_in": queries.latest_money_in(appeal, LEDGER_SHOWN),
            "money_out": queries.latest_money_out(appeal, LEDGER_SHOWN),
            "shown": LEDGER_SHOWN,
            "shipments": shipments[:SHIPMENTS_SHOWN],
            "more_shipments": len(shipments) > SHIPMENTS_SHOWN,
            "photos": appeal.photos.all(),
        },
    )
    value = (queries.progress(appeal, totals), html)  # a SafeString, as pickled
    cache.set(key, value, SECTIONS_SECONDS)
    return value


@require_safe
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole ledger, a page at a time: money in (`?page=`) or money out (`?out=1`)."""
    appeal = appeal_for(request, slug, "relief.view_appeal")
    out = request.GET.get("out") == "1"
    lines = queries.money_out(appeal) if out else queries.money_in(appeal)
    return render(
        request,
        "relief/ledger.html",
        {
            "appeal": appeal,
            "out": out,
            "balances": queries.balances(appeal),
            "page": paginate(request, lines),
        },
    )


@require_safe
def shipment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every shipment of the appeal, latest first, a page at a time."""
    appeal = appeal_for(request, slug, "relief.view_appeal")
    return render(
        request,
        "relief/shipment_list.html",
        {"appeal": appeal, "page": paginate(request, queries.shipments(appeal), per_page=20)},
    )


@require_safe
def ledger_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The whole ledger as CSV: the stored snapshot of its current version (built once per
    version), with an ETag and Last-Modified so a client that has it gets a 304."""
    appeal = appeal_for(request, slug, "relief.view_appeal")
    snapshot = ledger_snapshot(appeal)
    etag = f'"relief-{appeal.pk}-{snapshot.version}"'
    modified = snapshot.created_at.timestamp()
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if not_modified is None:
        response: HttpResponseBase = media_response(
            private_storage,
            snapshot.file_name,
            content_type="text/csv",
            download_name=f"ledger-{appeal.slug}.csv",
            inline=False,
            cache_control="private, no-store"
            if appeal.status == Appeal.Status.DRAFT
            else "public, no-cache",
        )
    else:
        response = not_modified
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def receipt_link(request: HttpRequest, token: str) -> HttpResponse:
    """The donor's e-mailed link: a page with the receipt (opening it spends nothing); the
    download (POST) spends the link. A wrong, used or expired link says so."""
    donation = donation_for_receipt_token(token)
    if donation is not None and request.method == "POST":
        try:
            donation = use_receipt_link(token=token)
        except NotAllowed:
            donation = None
        else:
            response = HttpResponse(render_receipt(donation), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="receipt-{donation.number}.pdf"'
            )
            return response
    status = 200 if donation is not None else 404
    return render(
        request,
        "relief/receipt_link.html",
        {"donation": donation, "days": RECEIPT_LINK_DAYS},
        status=status,
    )


@require_safe
def photo_file(request: HttpRequest, slug: str, pk: int, size: str) -> HttpResponseBase:
    appeal = appeal_for(request, slug, "relief.view_appeal")
    photo = get_object_or_404(Photo, appeal=appeal, pk=pk)
    name = photo.thumb_name if size == "thumb" else photo.file_name
    return media_response(
        private_storage, name, content_type="image/webp", download_name="photo.webp", inline=True
    )


@require_http_methods(["GET", "HEAD", "POST"])
def partner_link(request: HttpRequest, token: str) -> HttpResponse:
    """The partner contact's single-use link: confirm the needs, or a shipment's receipt."""
    link = link_for_token(token)
    if link is None:
        raise Http404
    if link.purpose == PartnerLink.Purpose.NEEDS:
        return _needs_by_link(request, link, token)
    return _receipt_by_link(request, link, token)


def _needs_by_link(request: HttpRequest, link: PartnerLink, token: str) -> HttpResponse:
    form = PartnerNeedsForm(request.POST or None, appeal=link.appeal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = []
        if data["new_title"]:
            new.append(
                NewNeed(
                    data["new_kind"] or "goods",
                    data["new_title"],
                    data["new_quantity"] or 0,
                    data["new_unit"],
                )
            )
        try:
            confirm_needs_with_link(
                token=token, name=data["name"], confirm=[n.pk for n in data["confirm"]], new=new
            )
        except ValidationError as error:
            add_service_error(form, error)
        except NotAllowed:
            raise Http404 from None
        else:
            messages.success(request, _("Thank you: the needs you confirmed are now shown."))
            return redirect(link.appeal)
    return render(request, "relief/partner_needs.html", {"appeal": link.appeal, "form": form})


def _receipt_by_link(request: HttpRequest, link: PartnerLink, token: str) -> HttpResponse:
    shipment = link.shipment
    if shipment is None:
        raise Http404
    form = ReceiptForm(request.POST or None, request.FILES or None, shipment=shipment)
    if request.method == "POST" and form.is_valid():
        try:
            confirm_receipt_with_link(
                token=token,
                name=form.cleaned_data["name"],
                counts=form.counts(),
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except NotAllowed:
            raise Http404 from None
        else:
            messages.success(request, _("Thank you: the receipt is recorded."))
            return redirect(link.appeal)
    return render(
        request,
        "relief/receipt_form.html",
        {"appeal": link.appeal, "shipment": shipment, "form": form, "ask_name": True},
    )
