"""The Youth Leadership Summit's pages.

Staff (verified, `staff_required`): the summit page, chaperones, rooms and teams with their
automatic assignment and the forms that move one person, and the form of a participant's
restricted details. Staff and the summit's named adults (chaperones and the nurse with a valid
background check): the participant list, a participant's restricted details (the fields their
role may read; every read is logged), and the printable room and team lists (HTML and PDF).
Anyone else gets 404, as if the summit had no such page (C12).

The restricted details (RELIABILITY P-07) are read by welfare staff (`staff_welfare`), the
nurse and the chaperones only, after a fresh re-authentication (B12,
`twinning.accounts.reauth`); staff without the capability get a 403 page that says the details are
restricted and who reads them, with none of them. No list, PDF or export holds them."""

import io
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import otp_verify_url, staff_required
from twinning.accounts.reauth import reauth_redirect
from twinning.core.authz import is_verified_staff
from twinning.core.forms import DateInput, add_service_error
from twinning.core.special import may_read_special
from twinning.events.models import Attendee, Event, ResidenceRoom, SummitChaperone, Team, TeamMember
from twinning.events.services import summit as services
from twinning.youth.models import consent_active

# --- Forms (validation only; the services write) ----------------------------------------------


class ChaperoneForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Account e-mail"),
        required=False,
        help_text=gettext_lazy("The adult's account, so they can open the lists and details."),
    )
    attendee = forms.ModelChoiceField(
        label=gettext_lazy("Or an attendee of the summit"),
        queryset=Attendee.objects.none(),
        required=False,
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=SummitChaperone.Role.choices)
    background_check_on = forms.DateField(
        label=gettext_lazy("Background check done on"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["attendee"])
        field.queryset = services.active_participants(event).exclude(services.student_condition())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        if email:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("email", _("No active account has this e-mail address."))
            data["user"] = user
        elif not data.get("attendee"):
            raise ValidationError(_("Give the adult's account e-mail or choose an attendee."))
        return data


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=gettext_lazy("Background check done on"), widget=DateInput())


class RoomForm(forms.ModelForm):
    class Meta:
        model = ResidenceRoom
        fields = ["name", "beds", "gender", "adults_only"]


class MoveToRoomForm(forms.Form):
    room = forms.ModelChoiceField(
        label=gettext_lazy("Room"),
        queryset=ResidenceRoom.objects.none(),
        required=False,
        empty_label=gettext_lazy("No room (take them out)"),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["room"])
        field.queryset = event.summit_rooms.all()


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["kind", "name"]


class AssignTeamsForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Activity"), choices=Team.Kind.choices)


class MoveToTeamForm(forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none())

    def __init__(self, *args: Any, event: Event, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["team"])
        field.queryset = event.summit_teams.filter(kind=kind)


class DetailsForm(forms.Form):
    emergency_contacts = forms.CharField(
        label=gettext_lazy("Emergency contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medical_notes = forms.CharField(
        label=gettext_lazy("Medical notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allergies = forms.CharField(
        label=gettext_lazy("Allergies"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dietary_needs = forms.CharField(
        label=gettext_lazy("Dietary needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Lookups and gates ---------------------------------------------------------------------------


def _summit(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, kind=Event.Kind.SUMMIT)


def _participant(event: Event, pk: int) -> Attendee:
    return get_object_or_404(services.active_participants(event), pk=pk)


def _adult_gate(request: HttpRequest, event: Event) -> HttpResponse | None:
    """Staff and the summit's named adults pass (None); anyone else is sent to sign in, to
    the second-factor page (staff without it), or answered 404."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if services.may_see_summit_lists(user, event):
        return None
    if user.is_active and user.is_staff and not is_verified_staff(user):
        return redirect(otp_verify_url(request.get_full_path()))
    raise Http404


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _rooms(event: Event) -> list[ResidenceRoom]:
    return list(
        event.summit_rooms.prefetch_related(
            Prefetch(
                "assignments",
                queryset=services.RoomAssignment.objects.select_related(
                    "attendee__community", "attendee__country"
                ),
            )
        )
    )


def _teams(event: Event) -> list[Team]:
    return list(
        event.summit_teams.prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.select_related(
                    "attendee__community", "attendee__country"
                ),
            )
        )
    )


# --- Staff pages ---------------------------------------------------------------------------------


@staff_required
@require_safe
def summit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    chaperones = list(event.summit_chaperones.select_related("event", "attendee", "user"))
    counted = [
        c
        for c in chaperones
        if c.role == SummitChaperone.Role.CHAPERONE and services.check_is_valid(c)
    ]
    students = services.active_participants(event).filter(services.student_condition())
    context = {
        "event": event,
        "first_day": services.first_day(event),
        "age_limits": services.age_limits(event),
        "confirmed": services.confirmed_students(event).count(),
        "students": students.count(),
        "chaperones": len(chaperones),
        "counted": len(counted),
        "places": len(counted) * event.students_per_chaperone,
        "beds": sum(event.summit_rooms.values_list("beds", flat=True)),
        "placed": services.RoomAssignment.objects.filter(room__event=event).count(),
        "teams": [
            (Team.Kind(row["kind"]).label, row["n"])
            for row in event.summit_teams.values("kind").annotate(n=Count("pk")).order_by("kind")
        ],
        "retention": services.retention_dates(event),
    }
    return render(request, "events/summit/summit.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_chaperones(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    form = ChaperoneForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_chaperone(
                event=event,
                user=data.get("user"),
                attendee=data.get("attendee"),
                role=data["role"],
                background_check_on=data.get("background_check_on"),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The adult is named for the summit."))
            return redirect("events:summit_chaperones", slug=event.slug)
    rows = [
        {
            "chaperone": c,
            "problem": services.check_problem(c),
            "expires": services.check_expires_on(c),
        }
        for c in event.summit_chaperones.select_related("event", "attendee", "user")
    ]
    return render(
        request,
        "events/summit/chaperones.html",
        {
            "event": event,
            "form": form,
            "rows": rows,
            "check_form": CheckForm(),
            "months": services.background_check_months(),
        },
    )


@staff_required
@require_POST
def summit_chaperone_check(request: HttpRequest, slug: str, chaperone: int) -> HttpResponse:
    event = _summit(slug)
    row = get_object_or_404(event.summit_chaperones, pk=chaperone)
    form = CheckForm(request.POST)
    if form.is_valid():
        services.record_background_check(
            chaperone=row, checked_on=form.cleaned_data["checked_on"], by=request.user
        )
        messages.success(request, _("The background check is recorded."))
    else:
        messages.error(request, _("Give the date of the background check."))
    return redirect("events:summit_chaperones", slug=event.slug)


@staff_required
@require_POST
def summit_chaperone_remove(request: HttpRequest, slug: str, chaperone: int) -> HttpResponse:
    event = _summit(slug)
    row = get_object_or_404(event.summit_chaperones, pk=chaperone)
    services.remove_chaperone(chaperone=row, by=request.user)
    messages.success(request, _("The adult is no longer named for the summit."))
    return redirect("events:summit_chaperones", slug=event.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_rooms(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_room(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(cast(forms.Form, form), error)
        else:
            messages.success(request, _("The room is added."))
            return redirect("events:summit_rooms", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "rooms": _rooms(event),
        "unplaced": services.unplaced_in_rooms(event),
        "rule": services.room_rule(),
    }
    return render(request, "events/summit/rooms.html", context)


@staff_required
@require_POST
def summit_rooms_assign(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    plan = services.assign_rooms(event=event, by=request.user)
    messages.success(
        request,
        _("%(placed)s placed by the rule; %(unplaced)s could not be placed.")
        % {"placed": len(plan.placed), "unplaced": len(plan.unplaced)},
    )
    return redirect("events:summit_rooms", slug=event.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_room_move(request: HttpRequest, slug: str, attendee: int) -> HttpResponse:
    event = _summit(slug)
    person = _participant(event, attendee)
    current = services.RoomAssignment.objects.filter(attendee=person).select_related("room").first()
    form = MoveToRoomForm(
        request.POST or None, event=event, initial={"room": current.room_id if current else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_to_room(
                event=event, attendee=person, room=form.cleaned_data["room"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is moved.") % {"name": person.name})
            return redirect("events:summit_rooms", slug=event.slug)
    return render(
        request,
        "events/summit/room_move.html",
        {"event": event, "person": person, "current": current, "form": form},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_teams(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_team(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(cast(forms.Form, form), error)
        else:
            messages.success(request, _("The team is added."))
            return redirect("events:summit_teams", slug=event.slug)
    teams = _teams(event)
    kinds: list[dict[str, Any]] = [
        {"kind": kind, "label": label, "teams": [t for t in teams if t.kind == kind]}
        for kind, label in Team.Kind.choices
    ]
    students = services.team_students(event)
    for group in kinds:
        group["unplaced"] = list(students.exclude(summit_teams__kind=group["kind"]))
    return render(
        request,
        "events/summit/teams.html",
        {"event": event, "form": form, "kinds": kinds, "rule": services.team_rule()},
    )


@staff_required
@require_POST
def summit_teams_assign(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    form = AssignTeamsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the activity whose teams to make."))
        return redirect("events:summit_teams", slug=event.slug)
    try:
        placed = services.assign_teams(event=event, kind=form.cleaned_data["kind"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(placed)s students placed by the rule.") % {"placed": placed})
    return redirect("events:summit_teams", slug=event.slug)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_team_move(request: HttpRequest, slug: str, kind: str, attendee: int) -> HttpResponse:
    event = _summit(slug)
    if kind not in Team.Kind.values:
        raise Http404
    person = get_object_or_404(services.team_students(event), pk=attendee)
    current = TeamMember.objects.filter(attendee=person, kind=kind).select_related("team").first()
    form = MoveToTeamForm(
        request.POST or None,
        event=event,
        kind=kind,
        initial={"team": current.team_id if current else None},
    )
    if request.method == "POST" and form.is_valid():
        services.move_to_team(
            event=event, attendee=person, team=form.cleaned_data["team"], by=request.user
        )
        messages.success(request, _("%(name)s is moved.") % {"name": person.name})
        return redirect("events:summit_teams", slug=event.slug)
    return render(
        request,
        "events/summit/team_move.html",
        {
            "event": event,
            "person": person,
            "current": current,
            "form": form,
            "kind_label": Team.Kind(kind).label,
        },
    )


def _restricted(request: HttpRequest, event: Event, person: Attendee) -> HttpResponse:
    """What staff without the welfare capability get instead of the details: 403 and a page
    saying they are restricted, and to whom (no value, nothing logged as a read). Staff know
    the participant (the lists show them), so a 404 would hide nothing."""
    return _private(
        render(
            request,
            "events/summit/details_restricted.html",
            {"event": event, "person": person, "is_staff": is_verified_staff(request.user)},
            status=403,
        )
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def summit_details_edit(request: HttpRequest, slug: str, attendee: int) -> HttpResponse:
    event = _summit(slug)
    person = _participant(event, attendee)
    if not may_read_special(request.user):
        return _restricted(request, event, person)
    if refused := reauth_redirect(request):
        return refused
    if request.method == "POST":
        form = DetailsForm(request.POST)
        if form.is_valid():
            services.update_summit_details(
                event=event, attendee=person, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The restricted details are saved."))
            return redirect("events:summit_details", slug=event.slug, attendee=person.pk)
    else:
        form = DetailsForm(
            initial=services.read_summit_details(event=event, attendee=person, by=request.user)
        )
    return render(
        request, "events/summit/details_edit.html", {"event": event, "person": person, "form": form}
    )


# --- Staff and the summit's adults ---------------------------------------------------------


@require_safe
def summit_participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    people = (
        services.active_participants(event)
        # Photos of a student only with their guardian's consent (the "no photos" flag).
        .annotate(photos_ok=consent_active("summit", "photos", person="summit_application__person"))
        .select_related("community", "country", "ticket", "summit_room__room")
        .prefetch_related(
            Prefetch("summit_teams", queryset=TeamMember.objects.select_related("team"))
        )
    )
    day = services.first_day(event)
    rows = [
        {
            "person": p,
            "age": services.age_on(p.date_of_birth, day) if p.date_of_birth else None,
            "student": services.is_student(p),
        }
        for p in people
    ]
    context = {
        "event": event,
        "rows": rows,
        "may_read": bool(services.restricted_fields_for(request.user, event)),
        "is_staff": is_verified_staff(request.user),
    }
    return _private(render(request, "events/summit/participants.html", context))


@require_safe
def summit_details(request: HttpRequest, slug: str, attendee: int) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    person = _participant(event, attendee)
    if not services.restricted_fields_for(request.user, event):
        return _restricted(request, event, person)
    if refused := reauth_redirect(request):
        return refused
    values = services.read_summit_details(event=event, attendee=person, by=request.user)
    labels = {
        "emergency_contacts": _("Emergency contacts"),
        "medical_notes": _("Medical notes"),
        "allergies": _("Allergies"),
        "dietary_needs": _("Dietary needs"),
    }
    fields = [(labels[name], value) for name, value in values.items()]
    return _private(
        render(
            request,
            "events/summit/details.html",
            {
                "event": event,
                "person": person,
                "fields": fields,
                "is_staff": is_verified_staff(request.user),
                "may_edit": may_read_special(request.user),
            },
        )
    )


@require_safe
def summit_room_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    return _private(
        render(
            request,
            "events/summit/room_list.html",
            {"event": event, "rooms": _rooms(event), "is_staff": is_verified_staff(request.user)},
        )
    )


@require_safe
def summit_team_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    teams = _teams(event)
    kinds = [(label, [t for t in teams if t.kind == kind]) for kind, label in Team.Kind.choices]
    return _private(
        render(
            request,
            "events/summit/team_list.html",
            {"event": event, "kinds": kinds, "is_staff": is_verified_staff(request.user)},
        )
    )


def _pdf(title: str, sections: list[tuple[str, list[list[str]]]], header: list[str]) -> bytes:
    """A plain list PDF: the title, then for each section its heading and a table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from twinning.core.pdf import font_names, stylesheet

    regular, bold = font_names()
    styles = stylesheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="", leftMargin=15 * mm, rightMargin=15 * mm
    )
    story: list[Any] = [Paragraph(title, styles["Title"])]
    for heading, rows in sections:
        story.append(Paragraph(heading, styles["Heading2"]))
        if rows:
            table = Table([header, *rows], repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), regular),
                        ("FONTNAME", (0, 0), (-1, 0), bold),
                        ("FONTSIZE", (0, 0), (-1, -1), 9),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        else:
            story.append(Paragraph(_("Nobody yet."), styles["Normal"]))
        story.append(Spacer(1, 4 * mm))
    document.build(story)
    return buffer.getvalue()


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


def _country(attendee: Attendee) -> str:
    return services.home_country(attendee)


@require_safe
def summit_room_list_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    sections = [
        (
            f"{room.name} ({room.get_gender_display()}, "
            f"{_('adults') if room.adults_only else _('minors')}, "
            f"{len(room.assignments.all())}/{room.beds})",
            [
                [
                    a.attendee.name,
                    a.attendee.community.name if a.attendee.community else "",
                    _country(a.attendee),
                ]
                for a in room.assignments.all()
            ],
        )
        for room in _rooms(event)
    ]
    header = [_("Name"), _("Community"), _("Country")]
    content = _pdf(_("Rooms: %(event)s") % {"event": event.title}, sections, header)
    return _pdf_response(content, f"{event.slug}-rooms.pdf")


@require_safe
def summit_team_list_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _summit(slug)
    if refused := _adult_gate(request, event):
        return refused
    sections = [
        (
            f"{team.get_kind_display()}: {team.name}",
            [
                [
                    m.attendee.name,
                    m.attendee.community.name if m.attendee.community else "",
                    _country(m.attendee),
                ]
                for m in team.members.all()
            ],
        )
        for team in _teams(event)
    ]
    header = [_("Name"), _("Community"), _("Country")]
    content = _pdf(_("Teams: %(event)s") % {"event": event.title}, sections, header)
    return _pdf_response(content, f"{event.slug}-teams.pdf")
