"""The committee side of the awards: a committee's awards page (the open cycle's categories,
each with its eligibility explained before anyone starts, and the committee's nominations),
starting a nomination, nominating a person of another committee, the nomination's page
(edit the draft, attach photos and PDFs, submit, withdraw), its files and its certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from twinning.awards.eligibility import check_eligibility, member_rules
from twinning.awards.forms import AttachmentForm, NominationForm, StartForm, ThirdPartyForm
from twinning.awards.models import Attachment, Category, Cycle, Honour, Nomination
from twinning.awards.services import (
    add_attachment,
    remove_attachment,
    start_nomination,
    submit_nomination,
    update_nomination,
    withdraw_nomination,
)
from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.network.models import Member
from twinning.review.interface import can_review


def _member(request: HttpRequest, slug: str) -> Member:
    return get_object_or_404(Member.objects.administered_by(request.user), slug=slug)


def _open_cycle() -> Cycle | None:
    return Cycle.objects.open_at().order_by("closes_at").first()


@login_required
@require_safe
def portal(request: HttpRequest, member: str) -> HttpResponse:
    committee = _member(request, member)
    cycle = _open_cycle()
    nominations = list(
        Nomination.objects.filter(member=committee)
        .select_related("category__cycle")
        .order_by("-category__cycle__year", "category__order", "pk")
    )
    taken = {n.category_id for n in nominations if n.state != Nomination.State.WITHDRAWN}
    categories = cycle.categories.order_by("order", "name") if cycle is not None else []
    base = member_rules(committee)
    home = committee.communities.order_by("pk").first()
    rows = [
        {
            "category": category,
            "eligibility": check_eligibility(
                category=category, member=committee, community=home, base=base
            ),
            "taken": category.pk in taken,
        }
        for category in categories
    ]
    context = {"member": committee, "cycle": cycle, "rows": rows, "nominations": nominations}
    return render(request, "awards/portal.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nomination_start(request: HttpRequest, member: str, category: int) -> HttpResponse:
    committee = _member(request, member)
    cycle = _open_cycle()
    chosen = get_object_or_404(Category, pk=category, cycle=cycle) if cycle else None
    if chosen is None:
        raise Http404
    form = StartForm(request.POST or None, member=committee, category=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = start_nomination(
                category=chosen,
                member=committee,
                community=form.cleaned_data["community"],
                title=form.cleaned_data["title"],
                nominee_name=form.cleaned_data.get("nominee_name", ""),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your draft is saved. Complete it and submit it."))
            return redirect(nomination)
    eligibility = check_eligibility(category=chosen, member=committee)
    context = {"member": committee, "category": chosen, "form": form, "eligibility": eligibility}
    return render(request, "awards/nomination_start.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominate_other(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("awards.nominate_third_party"):
        raise Http404
    cycle = _open_cycle()
    categories = (
        Category.objects.filter(cycle=cycle, subject=Category.Subject.PERSON)
        if cycle
        else Category.objects.none()
    )
    form = ThirdPartyForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        community = member.communities.order_by("pk").first()
        try:
            if community is None:
                raise ValidationError(
                    {"member": _("This committee has no community in the registry.")}
                )
            nomination = start_nomination(
                category=form.cleaned_data["category"],
                member=member,
                community=community,
                title=form.cleaned_data["title"],
                nominee_name=form.cleaned_data["nominee_name"],
                nominator=form.cleaned_data["nominator"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your draft is saved. Complete it and submit it."))
            return redirect(nomination)
    return render(request, "awards/nominate_other.html", {"form": form, "cycle": cycle})


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "category__cycle", "member", "community", "partner"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    found = _nomination(request, pk)
    initial = {
        "title": found.title,
        "nominee_name": found.nominee_name,
        "story": found.story,
        "partner": found.partner_id,
        "website": found.website,
        "video": found.video,
    }
    for index, question in enumerate(found.category.question_list()):
        initial[f"answer_{index}"] = found.answers.get(question, "")
    form = NominationForm(request.POST or None, nomination=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_nomination(
                nomination=found,
                title=form.cleaned_data["title"],
                story=form.cleaned_data["story"],
                answers=form.answers(),
                website=form.cleaned_data["website"],
                video=form.cleaned_data["video"],
                partner=form.cleaned_data["partner"],
                nominee_name=form.cleaned_data.get("nominee_name", ""),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    honour = Honour.objects.public().filter(nomination=found).first()
    context = {
        "nomination": found,
        "form": form,
        "attachment_form": AttachmentForm(),
        "attachments": list(found.attachments.all()),
        "honour": honour,
        "eligibility": check_eligibility(
            category=found.category, member=found.member, community=found.community
        ),
    }
    return render(request, "awards/nomination.html", context)


@login_required
def nomination_attach(request: HttpRequest, pk: int) -> HttpResponse:
    found = _nomination(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_attachment(
                nomination=found,
                upload=form.cleaned_data["upload"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(found)


@login_required
def attachment_remove(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    found = _nomination(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = get_object_or_404(Attachment, pk=attachment, nomination=found)
    try:
        remove_attachment(attachment=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(found)


@login_required
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _nomination(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done = submit_nomination(nomination=found, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if done.state == Nomination.State.AWAITING:
            messages.success(
                request,
                _("Submitted. The committee's admins were asked to confirm it by e-mail."),
            )
        else:
            messages.success(request, _("Submitted. Good luck!"))
    return redirect(found)


@login_required
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _nomination(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        withdraw_nomination(nomination=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect(found)


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """A nomination's file, for those who may see the nomination and for its judges."""
    item = get_object_or_404(Attachment.objects.select_related("nomination"), pk=pk)
    allowed = Nomination.objects.visible_to(request.user).filter(
        pk=item.nomination_id
    ).exists() or can_review(request.user, item.nomination)
    if not allowed or size not in ("display", "thumb", "document"):
        raise Http404
    if size == "thumb" and item.thumb_name:
        name, mime = item.thumb_name, item.thumb_mime
    elif size == ("display" if item.kind == Attachment.Kind.IMAGE else "document"):
        name, mime = item.file_name, item.mime
    else:
        raise Http404
    return media_response(
        private_storage,
        name,
        content_type=mime,
        download_name=item.display_name,
        inline=item.kind == Attachment.Kind.IMAGE,
    )


@login_required
@require_safe
def certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = _nomination(request, pk)
    honour = Honour.objects.public().filter(nomination=found).exclude(certificate_file="").first()
    if honour is None:
        raise Http404
    return media_response(
        private_storage,
        honour.certificate_file,
        content_type="application/pdf",
        download_name=f"certificate-{honour.year}.pdf",
        inline=False,
    )
