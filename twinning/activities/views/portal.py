"""The committee's activity pages, under /portal/<member>/activities/: list, report, edit,
submit, a delegation's travellers and itinerary, letters and photos. Only the member's own
committee admins reach them; for everyone else the member and its activities do not exist
(404, C12)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.activities import services
from twinning.activities.forms import (
    ActivityForm,
    ItineraryStopForm,
    PhotoForm,
    TravellerForm,
)
from twinning.activities.models import Activity, InvitationLetter
from twinning.activities.views.common import letter_response, photo_response
from twinning.core.authz import NotAllowed
from twinning.core.forms import add_service_error
from twinning.network.models import Member

PER_PAGE = 25


def _member(request: HttpRequest, slug: str) -> Member:
    member = get_object_or_404(Member.objects.administered_by(request.user), slug=slug)
    if not request.user.has_perm("activities.report_activity", member):
        raise Http404
    return member


def _activity(member: Member, pk: int) -> Activity:
    return get_object_or_404(Activity.objects.of_member(member).select_related("member"), pk=pk)


def _invalid(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A refused form shows again with its messages; 400 says nothing was saved."""
    return render(request, template, context, status=400)


@login_required
@require_safe
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    activities = Activity.objects.of_member(member).for_list().order_by("-start_date", "-pk")
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    context = {"member": member, "page": page}
    return render(request, "activities/portal/activity_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    form = ActivityForm(request.POST or None, member=member)
    context = {"member": member, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = services.create_activity(
                    member=member, by=request.user, **form.cleaned_data
                )
            except NotAllowed as error:
                raise Http404 from error
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your report is saved as a draft."))
                return redirect("activities:portal_activity_detail", slug=slug, pk=activity.pk)
        return _invalid(request, "activities/portal/activity_form.html", context)
    return render(request, "activities/portal/activity_form.html", context)


@login_required
@require_safe
def activity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    context = {
        "member": member,
        "activity": activity,
        "partnerships": activity.partnerships.select_related(
            "community_a__country", "community_b__country"
        ),
        "travellers": activity.travellers.select_related("letter"),
        "itinerary": activity.itinerary.all(),
        "photos": activity.photos.all(),
        "photo_form": PhotoForm(),
        "traveller_form": TravellerForm(),
        "stop_form": ItineraryStopForm(),
    }
    return render(request, "activities/portal/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    if not activity.is_editable:
        messages.error(request, _("This report is with staff and cannot be changed now."))
        return redirect("activities:portal_activity_detail", slug=slug, pk=pk)
    form = ActivityForm(
        request.POST or None,
        member=member,
        with_counterpart=activity.counterpart_id is not None,
        initial=ActivityForm.initial_for(activity),
    )
    context = {"member": member, "form": form, "activity": activity}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_activity(activity=activity, by=request.user, **form.cleaned_data)
            except NotAllowed as error:
                raise Http404 from error
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("activities:portal_activity_detail", slug=slug, pk=pk)
        return _invalid(request, "activities/portal/activity_form.html", context)
    return render(request, "activities/portal/activity_form.html", context)


def _run(request: HttpRequest, action: object, success: str, **kwargs: object) -> bool:
    """Call a service; its refusal becomes a message on the next page."""
    try:
        action(by=request.user, **kwargs)  # type: ignore[operator]
    except NotAllowed as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def activity_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    _run(
        request,
        services.submit_activity,
        _("Your report is sent to the association's staff."),
        activity=activity,
    )
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


def _add_to_delegation(  # noqa: PLR0917 - the view's parts, named at each call
    request: HttpRequest,
    slug: str,
    pk: int,
    form_class: type,
    action: object,
    success: str,
    invalid: str,
) -> HttpResponse:
    """A traveller or an itinerary stop posted from the activity page."""
    activity = _activity(_member(request, slug), pk)
    form = form_class(request.POST)
    if form.is_valid():
        _run(request, action, success, activity=activity, **form.cleaned_data)
    else:
        messages.error(request, invalid)
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_POST
def traveller_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _add_to_delegation(
        request,
        slug,
        pk,
        TravellerForm,
        services.add_traveller,
        _("The traveller is added."),
        _("Give the traveller's full name and role."),
    )


@login_required
@require_POST
def traveller_remove(request: HttpRequest, slug: str, pk: int, traveller: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    person = get_object_or_404(activity.travellers, pk=traveller)
    _run(request, services.remove_traveller, _("The traveller is removed."), traveller=person)
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_POST
def stop_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _add_to_delegation(
        request,
        slug,
        pk,
        ItineraryStopForm,
        services.add_itinerary_stop,
        _("The stop is added to the itinerary."),
        _("Give the stop's date, place and purpose."),
    )


@login_required
@require_POST
def stop_remove(request: HttpRequest, slug: str, pk: int, stop: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    item = get_object_or_404(activity.itinerary, pk=stop)
    _run(request, services.remove_itinerary_stop, _("The stop is removed."), stop=item)
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_POST
def letters_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    _run(
        request,
        services.request_invitation_letters,
        _("The letters are being prepared; refresh this page in a minute."),
        activity=activity,
    )
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_safe
def letter_download(request: HttpRequest, slug: str, pk: int, traveller: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    letter = get_object_or_404(
        InvitationLetter.objects.select_related("traveller"),
        traveller__activity=activity,
        traveller_id=traveller,
        state=InvitationLetter.State.READY,
    )
    if not request.user.has_perm("activities.download_letter", member):
        raise Http404
    return letter_response(letter)


@login_required
@require_POST
def photo_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            services.add_photo,
            _("The photo is added."),
            activity=activity,
            upload=form.cleaned_data["photo"],
            caption=form.cleaned_data["caption"],
        )
    else:
        messages.error(request, _("Choose a photo and describe what it shows."))
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_POST
def photo_remove(request: HttpRequest, slug: str, pk: int, photo: int) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    item = get_object_or_404(activity.photos, pk=photo)
    _run(request, services.remove_photo, _("The photo is removed."), photo=item)
    return redirect("activities:portal_activity_detail", slug=slug, pk=pk)


@login_required
@require_safe
def photo_file(request: HttpRequest, slug: str, pk: int, photo: int, size: str) -> HttpResponse:
    member = _member(request, slug)
    activity = _activity(member, pk)
    item = get_object_or_404(activity.photos, pk=photo)
    return photo_response(item, size)
