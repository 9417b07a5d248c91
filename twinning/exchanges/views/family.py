"""The host family's pages: apply, their application (household, references and where the
screening stands, never a check's details), and the referee's single-use link."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.forms import add_service_error
from twinning.exchanges.forms import (
    FamilyForm,
    HouseholdForm,
    ReferenceAnswerForm,
    ReferenceAskForm,
)
from twinning.exchanges.models import HostFamily
from twinning.exchanges.services import families as services
from twinning.exchanges.services.placement import family_placements
from twinning.exchanges.views.common import flat_errors


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def family_apply(request: HttpRequest) -> HttpResponse:
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_as_host_family(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you: now add everyone living in your home and two references.")
            )
            return redirect("exchanges:family_home")
    context = {"form": form, "unplaced_months": settings.EXCHANGES_UNPLACED_RETENTION_MONTHS}
    return render(request, "exchanges/family_apply.html", context)


@login_required
@require_safe
def family_home(request: HttpRequest) -> HttpResponse:
    found = (
        HostFamily.objects.filter(user=cast(Any, request.user))
        .select_related("member")
        .prefetch_related("household__background_checks", "references", "home_visits")
        .order_by("pk")
    )
    horizon = services.screening_horizon()
    rows = [(family, services.screening(family, horizon=horizon)) for family in found]
    context = {
        "rows": rows,
        "household_form": HouseholdForm(),
        "reference_form": ReferenceAskForm(),
        "placements": family_placements(request.user),
    }
    return render(request, "exchanges/family_home.html", context)


def _own_family(request: HttpRequest, pk: int) -> HostFamily:
    return get_object_or_404(
        HostFamily.objects.select_related("member", "user"), pk=pk, user=request.user
    )


@login_required
@require_POST
def family_household(request: HttpRequest, pk: int) -> HttpResponse:
    family = _own_family(request, pk)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.add_household_member(family=family, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Household member added."))
    else:
        messages.error(request, _("Give their name, date of birth and relationship."))
    return redirect("exchanges:family_home")


@login_required
@require_POST
def family_reference(request: HttpRequest, pk: int) -> HttpResponse:
    family = _own_family(request, pk)
    form = ReferenceAskForm(request.POST)
    if form.is_valid():
        try:
            services.ask_reference(family=family, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            messages.error(request, flat_errors(error))
        else:
            messages.success(request, _("Your referee is asked by e-mail."))
    else:
        messages.error(request, _("Give the referee's name and e-mail."))
    return redirect("exchanges:family_home")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reference(request: HttpRequest, token: str) -> HttpResponse:
    """The referee's single-use link: opening spends nothing, the answer does."""
    try:
        found = services.open_reference(token=token)
    except services.ReferenceLinkInvalid:
        return render(request, "exchanges/link_unusable.html", status=404)
    form = ReferenceAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_reference(token=token, **form.cleaned_data)
        except services.ReferenceLinkInvalid:
            return render(request, "exchanges/link_unusable.html", status=404)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return render(request, "exchanges/reference_done.html")
    return render(request, "exchanges/reference.html", {"form": form, "reference": found})
