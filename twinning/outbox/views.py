"""Pages of the outbox: staff read every e-mail before it goes (list, detail with edit, send,
discard, bulk send) and edit the texts per language with a preview; anyone holding an
unsubscribe link may use it. Staff views are `staff_required`; writes go through services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.forms import add_service_error
from twinning.outbox.forms import (
    BulkActionForm,
    MessageEditForm,
    MessageFilterForm,
    TemplateOverrideForm,
)
from twinning.outbox.models import EmailTemplate, OutboxMessage
from twinning.outbox.registry import TemplateSpec, UnknownTemplate, get_template_spec
from twinning.outbox.registry import registered_templates as all_templates
from twinning.outbox.services import (
    delete_template_override,
    discard_message,
    discard_messages,
    edit_message,
    message_for_token,
    preview_email,
    release_messages,
    save_template_override,
    unsubscribe,
)

PAGE_SIZE = 50


def _authorise(request: HttpRequest, perm: str) -> None:
    # staff_required has turned everyone else away; this keeps the permission visible (C11).
    if not request.user.has_perm(perm):
        raise Http404


# --- Messages ----------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_message_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "outbox.review_messages")
    form = MessageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = OutboxMessage.objects.select_related("recipient")
    if filters.get("template"):
        found = found.filter(template=filters["template"])
    counts = found.state_counts()
    if filters.get("state"):
        found = found.filter(state=filters["state"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": [(value, label, counts[value]) for value, label in OutboxMessage.State.choices],
        "bulk_form": BulkActionForm(),
        "filters": filters,
        "held_by_template": OutboxMessage.objects.filter(state=OutboxMessage.State.HELD)
        .values("template")
        .annotate(n=Count("pk"))
        .order_by("template"),
    }
    return render(request, "outbox/message_list.html", context)


@staff_required
@require_POST
def staff_message_bulk(request: HttpRequest) -> HttpResponse:
    """A bulk action in two steps, as the admin's "delete selected" does: the first POST shows
    how many messages it concerns and asks to confirm (nothing changes); the confirmed POST
    acts on those messages, through the services (audited; again is harmless)."""
    _authorise(request, "outbox.review_messages")
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("outbox:staff_message_list")
    targets = form.targets()
    release = form.cleaned_data["action"] == "release"
    if not form.cleaned_data["confirmed"]:
        summary = targets.aggregate(count=Count("pk"), upto=Max("pk"))
        context = {
            "form": form,
            "release": release,
            "count": summary["count"],
            "upto": summary["upto"] or 0,
            "by_template": targets.values("template").annotate(n=Count("pk")).order_by("template"),
        }
        return render(request, "outbox/message_bulk_confirm.html", context)
    if release:
        done = release_messages(messages=targets, by=request.user)
        messages.success(request, _("%(count)d message(s) queued for sending.") % {"count": done})
    else:
        done = discard_messages(messages=targets, by=request.user)
        messages.success(request, _("%(count)d message(s) discarded.") % {"count": done})
    return redirect("outbox:staff_message_list")


def _render_message(
    request: HttpRequest, message: OutboxMessage, form: MessageEditForm | None = None
) -> HttpResponse:
    form = form or MessageEditForm(initial={"subject": message.subject, "body": message.body})
    return render(request, "outbox/message_detail.html", {"message": message, "form": form})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "outbox.review_messages")
    message = get_object_or_404(
        OutboxMessage.objects.select_related("recipient", "created_by", "content_type"), pk=pk
    )
    if request.method != "POST":
        return _render_message(request, message)
    form = MessageEditForm(request.POST)
    if form.is_valid():
        try:
            edit_message(message=message, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The message is changed."))
            return redirect(message)
    return _render_message(request, message, form)


@staff_required
@require_POST
def staff_message_release(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "outbox.review_messages")
    message = get_object_or_404(OutboxMessage, pk=pk)
    if release_messages(messages=[message], by=request.user):
        messages.success(request, _("The message is queued for sending."))
    else:
        messages.error(request, _("Only a message held for review or failed can be sent."))
    return redirect(message)


@staff_required
@require_POST
def staff_message_discard(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request, "outbox.review_messages")
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        discard_message(message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message is discarded; it will not be sent."))
    return redirect(message)


# --- Texts -------------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_template_list(request: HttpRequest) -> HttpResponse:
    _authorise(request, "outbox.edit_templates")
    overridden: dict[str, set[str]] = {}
    for key, language in EmailTemplate.objects.values_list("key", "language"):
        overridden.setdefault(key, set()).add(language)
    rows = [
        {
            "spec": spec,
            "languages": [
                (code, name, code in overridden.get(spec.key, set()))
                for code, name in settings.LANGUAGES
            ],
        }
        for spec in all_templates()
    ]
    return render(request, "outbox/template_list.html", {"rows": rows})


def _spec_or_404(key: str, language: str) -> TemplateSpec:
    if language not in dict(settings.LANGUAGES):
        raise Http404
    try:
        return get_template_spec(key)
    except UnknownTemplate:
        raise Http404 from None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_template_edit(request: HttpRequest, key: str, language: str) -> HttpResponse:
    _authorise(request, "outbox.edit_templates")
    spec = _spec_or_404(key, language)
    override = EmailTemplate.objects.filter(key=key, language=language).first()
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "reset":
        delete_template_override(key=key, language=language, by=request.user)
        messages.success(request, _("The e-mail uses the standard text again."))
        return redirect("outbox:staff_template_edit", key=key, language=language)
    form = _template_form(request, spec, override, language)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = preview_email(spec=spec, language=language, **form.cleaned_data)
            if action == "save":
                save_template_override(
                    key=key, language=language, **form.cleaned_data, by=request.user
                )
                messages.success(request, _("The text is saved."))
                return redirect("outbox:staff_template_edit", key=key, language=language)
        except ValidationError as error:
            add_service_error(form, error)
            preview = None
    context = {
        "spec": spec,
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "override": override,
        "form": form,
        "preview": preview,
        "placeholders": sorted(spec.allowed_placeholders),
    }
    return render(request, "outbox/template_edit.html", context)


def _template_form(
    request: HttpRequest, spec: TemplateSpec, override: EmailTemplate | None, language: str
) -> TemplateOverrideForm:
    if request.method == "POST":
        return TemplateOverrideForm(request.POST)
    if override is not None:
        return TemplateOverrideForm(initial={"subject": override.subject, "body": override.body})
    with translation.override(language):
        return TemplateOverrideForm(initial={"subject": str(spec.subject), "body": str(spec.body)})


# --- Unsubscribing (public) --------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of non-essential mail: a page asking to confirm, then a POST."""
    message = message_for_token(token)
    if message is None:
        return render(request, "outbox/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        unsubscribe(email=message.to, message=message, by=request.user)
        done = True
    context = {"address": masked_address(message.to), "done": done}
    return render(request, "outbox/unsubscribe.html", context)


def masked_address(email: str) -> str:
    """`a•••@example.org`: enough for its owner to recognise, little for anyone else."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
