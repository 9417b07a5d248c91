"""Staff pages of the library: resources (add, edit, a new version with what changed,
language versions), topics, and download statistics with their CSV/XLSX exports. Every view
is `staff_required` and checks `library.manage`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.exports import Sheet, csv_text, xlsx_bytes
from twinning.core.forms import add_service_error
from twinning.core.paging import paginate
from twinning.library import queries
from twinning.library.forms import ResourceForm, TopicForm, TranslationForm, VersionForm
from twinning.library.models import Resource, Topic, Version
from twinning.library.services import (
    add_version,
    create_resource,
    create_topic,
    link_translation,
    update_resource,
)


def _authorise(request: HttpRequest) -> None:
    if not request.user.has_perm("library.manage"):
        raise Http404


@staff_required
@require_safe
def staff_resource_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    # The current version as a subquery the database runs for the page's 50 rows only (a
    # grouped join counted and sorted all 5,000 resources' versions: 11 ms, now 2), and the
    # labels looked up once (a get_..._display() for three fields of every row).
    latest = Version.objects.filter(resource=OuterRef("pk")).order_by("-number")
    resources = Resource.objects.annotate(latest=Subquery(latest.values("number")[:1]))
    page = paginate(request, resources.order_by("title"))
    labels = {
        name: dict(Resource._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
        for name in ("kind", "language", "access")
    }
    rows = list(page.object_list)
    for resource in rows:
        resource.kind_label = labels["kind"].get(resource.kind, resource.kind)
        resource.language_label = labels["language"].get(resource.language, resource.language)
        resource.access_label = labels["access"].get(resource.access, resource.access)
    return render(request, "library/staff/resource_list.html", {"resources": rows, "page": page})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_resource_create(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            resource = create_resource(by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The resource is in the library."))
            return redirect("library:staff_resource_edit", slug=resource.slug)
    return render(request, "library/staff/resource_form.html", {"form": form})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    resource = get_object_or_404(Resource, slug=slug)
    form = ResourceForm(request.POST or None, instance=resource, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            update_resource(
                resource=form.instance, topics=form.cleaned_data["topics"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("library:staff_resource_edit", slug=resource.slug)
    context = {
        "resource": resource,
        "form": form,
        "versions": resource.versions.order_by("-number"),
        "version_form": VersionForm(resource=resource),
        "translation_form": TranslationForm(resource=resource),
        "language_versions": (
            Resource.objects.filter(translation_group_id=resource.translation_group_id)
            .exclude(pk=resource.pk)
            .order_by("language")
            if resource.translation_group_id
            else []
        ),
    }
    return render(request, "library/staff/resource_edit.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_version_add(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    resource = get_object_or_404(Resource, slug=slug)
    form = VersionForm(request.POST or None, request.FILES or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            add_version(resource=resource, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The new version is the current one."))
            return redirect("library:staff_resource_edit", slug=resource.slug)
    return render(request, "library/staff/version_form.html", {"resource": resource, "form": form})


@staff_required
@require_POST
def staff_translation_link(request: HttpRequest, slug: str) -> HttpResponse:
    _authorise(request)
    resource = get_object_or_404(Resource, slug=slug)
    form = TranslationForm(request.POST, resource=resource)
    if form.is_valid():
        try:
            link_translation(resource=resource, other=form.cleaned_data["other"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The language versions are linked."))
    else:
        messages.error(request, _("Choose the resource in another language from the list."))
    return redirect("library:staff_resource_edit", slug=resource.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_topic_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_topic(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The topic is added."))
            return redirect("library:staff_topic_list")
    topics = Topic.objects.annotate(resource_count=Count("resources")).order_by("name")
    return render(request, "library/staff/topic_list.html", {"topics": topics, "form": form})


@staff_required
@require_safe
def staff_statistics(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    page = paginate(request, queries.downloads_per_resource())
    context = {"resources": page, "page": page, "members": queries.downloads_per_member()}
    return render(request, "library/staff/statistics.html", context)


@staff_required
@require_safe
def staff_statistics_csv(request: HttpRequest) -> HttpResponse:
    """Downloads per resource, or per member organisation with `?per=member`."""
    _authorise(request)
    if request.GET.get("per") == "member":
        header, rows, name = queries.MEMBER_HEADER, queries.member_rows(), "members"
    else:
        header, rows, name = queries.RESOURCE_HEADER, queries.resource_rows(), "resources"
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="library-downloads-{name}.csv"'
    return response


@staff_required
@require_safe
def staff_statistics_xlsx(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    content = xlsx_bytes(
        [
            Sheet(_("Per resource"), queries.RESOURCE_HEADER, queries.resource_rows()),
            Sheet(_("Per member"), queries.MEMBER_HEADER, queries.member_rows()),
        ]
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="library-downloads.xlsx"'
    return response
