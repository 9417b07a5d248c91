"""Public pages of the library: search with facets and featured resources, a resource's page
(versions, language versions, download), an older version's page, and the download itself.
Who may open what comes from library/access.py, per request."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from twinning.core.media import media_response, private_storage
from twinning.core.paging import paginate
from twinning.library.access import Access, may_open, request_access
from twinning.library.forms import SearchForm
from twinning.library.models import Resource, Topic, Version
from twinning.library.search import library_version, search, topic_choices
from twinning.library.services import record_download
from twinning.members.standing import standing_reasons

RESULTS_PER_PAGE = 20  # of the (at most search.MAX_RESULTS) matches; facets count them all


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    access = request_access(request)
    version = library_version()  # read once: the topics and the search are cached under it
    form = SearchForm(request.GET or None, topics=topic_choices(version))
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    results = search(
        data.get("q", ""),
        language=data.get("language") or None,
        topics=data.get("topic") or (),
        kind=data.get("kind") or None,
        user=request.user,
        access=access,
        version=version,
    )
    filtered = any(data.get(key) for key in ("q", "language", "kind", "topic"))
    context = {
        "form": form,
        "query": form["q"].value() or "",  # as typed, for the facets' links
        "results": results,
        "page": paginate(request, results.resources, RESULTS_PER_PAGE),
        "filtered": filtered,
        "featured": [] if filtered else [r for r in results if r.featured][:6],
        "access": access,
        "lapsed_reasons": (
            [(member, standing_reasons(member)) for member in access.lapsed]
            if not access.is_member
            else []
        ),
    }
    return render(request, "library/resource_list.html", context)


def _resource(request: HttpRequest, slug: str) -> Resource:
    access = request_access(request)
    resources = Resource.objects.shown_to(access).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
    )
    return get_object_or_404(resources, slug=slug)


def _closed(request: HttpRequest, resource: Resource, access: Access) -> HttpResponse:
    """Why the user may not open a resource they can see, and what to do about it: sign in,
    renew a lapsed membership (with each organisation's reasons and renewal link), or join."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lapsed = [(member, standing_reasons(member)) for member in access.lapsed]
    context = {"resource": resource, "lapsed": lapsed}
    return render(request, "library/resource_closed.html", context, status=403)


def _language_versions(resource: Resource, access: Access) -> list[Resource]:
    if resource.translation_group_id is None:
        return []
    return list(
        Resource.objects.open_to(access)
        .filter(translation_group_id=resource.translation_group_id)
        .exclude(pk=resource.pk)
        .order_by("language")
    )


@require_safe
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _resource(request, slug)
    access = request_access(request)
    if not may_open(access, resource):
        return _closed(request, resource, access)
    versions = list(resource.versions.order_by("-number"))
    context = {
        "resource": resource,
        "current": versions[0] if versions else None,
        "older": versions[1:],
        "language_versions": _language_versions(resource, access),
    }
    return render(request, "library/resource_detail.html", context)


def _version(request: HttpRequest, slug: str, number: int) -> tuple[Resource, Version]:
    resource = _resource(request, slug)
    return resource, get_object_or_404(resource.versions, number=number)


@require_safe
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An older (or the current) version at its own address, with what changed."""
    resource, version = _version(request, slug, number)
    access = request_access(request)
    if not may_open(access, resource):
        return _closed(request, resource, access)
    latest = resource.versions.order_by("-number").values_list("number", flat=True).first()
    context = {"resource": resource, "version": version, "is_current": version.number == latest}
    return render(request, "library/version_detail.html", context)


@require_safe
def version_open(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    """The file of a version (from private storage, through this check) or its address;
    each opening is counted for staff's statistics."""
    resource, version = _version(request, slug, number)
    access = request_access(request)
    if not may_open(access, resource):
        return _closed(request, resource, access)
    record_download(resource=resource, version=version, by=request.user, access=access)
    if not version.file:
        return redirect(version.url)
    return media_response(
        private_storage,
        version.file,
        content_type=version.mime,
        download_name=version.file_name or resource.slug,
        inline=False,
    )
