"""Pages of the documents app. The committee's, under /portal/<member>/documents/: its
partnerships and the documents it can make, a document's form with a preview, the kept
documents, their PDFs and making one again; only the member's own committee admins reach
them (404 for everyone else, C12), and while its membership is current (403 with the reason
otherwise). Staff's, under /staff/documents/: the texts per document and language."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.core.paging import paginate
from twinning.documents import services
from twinning.documents.access import membership_refusal
from twinning.documents.compose import (
    initial_fields,
    language_name,
    languages_with_text,
    our_side,
    template_for,
)
from twinning.documents.forms import DocumentForm, NewLanguageForm, TemplateForm
from twinning.documents.kinds import (
    DocumentKind,
    UnknownKind,
    get_kind,
    registered_kinds,
    source_language,
    translated_languages,
)
from twinning.documents.models import DocumentTemplate, GeneratedDocument
from twinning.network.models import Member, Partnership


class Refused(Exception):
    """The member may not make documents now; carries the page that says why."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _member(request: HttpRequest, slug: str) -> Member:
    member = get_object_or_404(Member.objects.administered_by(request.user), slug=slug)
    if not request.user.has_perm("documents.generate_document", member):
        reason = membership_refusal(member)
        if reason is None:
            raise Http404
        context = {"member": member, "reason": reason}
        raise Refused(render(request, "documents/portal_refused.html", context, status=403))
    return member


def _partnerships(member: Member) -> Any:
    communities = member.communities.values_list("pk", flat=True)
    return (
        Partnership.objects.filter(Q(community_a__in=communities) | Q(community_b__in=communities))
        .select_related("community_a__country", "community_b__country")
        .order_by("community_a__name", "community_b__name", "pk")
    )


def _portal_kind(key: str) -> DocumentKind:
    try:
        kind = get_kind(key)
    except UnknownKind:
        raise Http404 from None
    if not kind.in_portal:
        raise Http404
    return kind


def refusable(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Refused as refused:
            return refused.response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_safe
@refusable
def portal_home(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    ours = set(member.communities.values_list("pk", flat=True))
    partnerships = [
        dict(zip(("ours", "partner"), our_side(member, p, ours), strict=True), partnership=p)
        for p in _partnerships(member)
    ]
    documents = GeneratedDocument.objects.of_member(member).filter(
        kind__in=[k.key for k in registered_kinds(in_portal=True)]
    )
    context = {
        "member": member,
        "partnerships": partnerships,
        "partnership_kinds": [k for k in registered_kinds(in_portal=True) if k.for_partnership],
        "other_kinds": [k for k in registered_kinds(in_portal=True) if not k.for_partnership],
        "page": paginate(request, documents.select_related("partnership"), 25),
    }
    return render(request, "documents/portal_home.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusable
def portal_document_new(
    request: HttpRequest, slug: str, kind: str, partnership: int | None = None
) -> HttpResponse:
    member = _member(request, slug)
    spec = _portal_kind(kind)
    if spec.for_partnership != (partnership is not None):
        raise Http404
    chosen = get_object_or_404(_partnerships(member), pk=partnership) if partnership else None
    form = DocumentForm(
        request.POST or None,
        kind=spec,
        languages=languages_with_text(spec),
        initial=initial_fields(member=member, partnership=chosen),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        arguments = {
            "kind": kind,
            "member": member,
            "partnership": chosen,
            "values": form.values(),
            "language": form.cleaned_data["language"],
            "by": request.user,
        }
        try:
            if request.POST.get("action") == "generate":
                document = services.generate_document(**arguments)
                messages.success(request, _("The document is written; its PDF is being made."))
                return redirect("documents:portal_document_detail", slug=slug, pk=document.pk)
            preview = services.preview_document(**arguments)
        except ValidationError as error:
            add_service_error(form, error)
    context = {
        "member": member,
        "kind": spec,
        "partnership": chosen,
        "form": form,
        "preview": _with_names(preview),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "documents/portal_document_form.html", context, status=status)


def _with_names(texts: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if texts is None:
        return None
    return [{**text, "language_name": language_name(text["language"])} for text in texts]


def _document(member: Member, pk: int) -> GeneratedDocument:
    return get_object_or_404(
        GeneratedDocument.objects.of_member(member).select_related("partnership"), pk=pk
    )


@login_required
@require_safe
@refusable
def portal_document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    document = _document(member, pk)
    context = {
        "member": member,
        "document": document,
        "kind": get_kind(document.kind),
        "texts": _with_names(document.texts),
    }
    return render(request, "documents/portal_document_detail.html", context)


@login_required
@require_safe
@refusable
def portal_document_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    member = _member(request, slug)
    document = _document(member, pk)
    if document.state != GeneratedDocument.State.READY or not document.file_name:
        raise Http404
    return media_response(
        private_storage,
        document.file_name,
        content_type="application/pdf",
        download_name=f"{slugify(document.title)[:80] or document.kind}.pdf",
        inline=True,
    )


@login_required
@require_POST
@refusable
def portal_document_regenerate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug)
    document = _document(member, pk)
    again = services.regenerate_document(document=document, by=request.user)
    messages.success(request, _("The document is made again from the same text and values."))
    return redirect("documents:portal_document_detail", slug=slug, pk=again.pk)


# --- Staff: the texts --------------------------------------------------------------------------


def _authorise(request: HttpRequest) -> None:
    # staff_required has turned everyone else away; this keeps the permission visible (C11).
    if not request.user.has_perm("documents.edit_templates"):
        raise Http404


@staff_required
@require_safe
def staff_template_list(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    newest: dict[tuple[str, str], int] = {}
    for kind, language, version in DocumentTemplate.objects.values_list(
        "kind", "language", "version"
    ):
        newest[(kind, language)] = max(version, newest.get((kind, language), 0))
    rows = []
    source = source_language()
    for spec in registered_kinds():
        # The source language, then those the catalogue translates the code's text into (in
        # settings' order), then the others staff wrote.
        builtin = [source, *translated_languages(spec)]
        written = sorted({lang for (k, lang) in newest if k == spec.key} - set(builtin))
        rows.append(
            {
                "kind": spec,
                "languages": [
                    {
                        "code": code,
                        "name": language_name(code),
                        "version": newest.get((spec.key, code), 0),
                        "translated": code != source and code in builtin,
                    }
                    for code in builtin + written
                ],
            }
        )
    form = NewLanguageForm(request.GET or None)
    if request.GET and form.is_valid() and request.GET.get("kind"):
        key = request.GET["kind"]
        if key in {k.key for k in registered_kinds()}:
            return redirect(
                "documents:staff_template_edit", kind=key, language=form.cleaned_data["language"]
            )
    return render(request, "documents/staff_template_list.html", {"rows": rows, "form": form})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_template_edit(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    _authorise(request)
    try:
        spec = get_kind(kind)
    except UnknownKind:
        raise Http404 from None
    if not NewLanguageForm({"language": language}).is_valid():
        raise Http404
    try:
        current: dict[str, Any] | None = template_for(spec, language)
    except LookupError:
        current = None
    form = TemplateForm(
        request.POST or None,
        initial={"title": current["title"], "body": current["body"]} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = services.save_document_template(
                kind=kind, language=language, by=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Version %(v)s of the text is saved.") % {"v": template.version}
            )
            return redirect("documents:staff_template_edit", kind=kind, language=language)
        except ValidationError as error:
            add_service_error(form, error)
    context = {
        "kind": spec,
        "language": language,
        "language_name": language_name(language),
        "current": current,
        "translated": language.split("-", maxsplit=1)[0] != source_language(),
        "form": form,
        "placeholders": sorted(spec.allowed_placeholders),
        "versions": DocumentTemplate.objects.filter(kind=kind, language=language)[:20],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/staff_template_edit.html", context, status=status)
