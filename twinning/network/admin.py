"""Staff back office for the registry (the admin is the staff CRUD, DESIGN; C9, C10).

Read-mostly and fast on the full data (~17,000 communities, ~25,000 partnerships):
- every foreign key to a community is an autocomplete, never a select of every row;
- the big changelists skip the full "x of y" count (`show_full_result_count = False`);
- every changelist selects its related rows in the same query (`list_select_related`).

State changes go through the network services, which write the audit entry (C5, C15):
recording a partnership (`record_partnership`) and changing its status
(`change_partnership_status`); a community's location review (`accept_suggested_location`,
`dismiss_location_flag`); a member's creation, profile and committee admins
(`create_member`, `update_member_profile`, `add_committee_admin`, `remove_committee_admin`);
and deciding proposals (`approve_proposal`, and `decline_proposal` through an intermediate
page that asks for the message the committee will read). Edits that have no service
(a partnership's kind or notes, a community's name or point) are plain admin saves, recorded
in the admin's own history.
"""

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from twinning.network.forms import DeclineProposalForm
from twinning.network.models import (
    Community,
    Contact,
    Country,
    GazetteerPlace,
    ImportRun,
    Member,
    Officer,
    Partnership,
    PartnershipProposal,
    PartnershipStatusChange,
)
from twinning.network.services import (
    MEMBER_PROFILE_FIELDS,
    accept_suggested_location,
    add_committee_admin,
    approve_proposal,
    change_partnership_status,
    create_community,
    create_member,
    decline_proposal,
    dismiss_location_flag,
    record_partnership,
    remove_committee_admin,
    update_member_profile,
)


def _adopt(obj: Any, created: Any) -> None:
    """Make the admin's unsaved `obj` the row a service created, so the admin's redirect,
    history entry and related saves use it."""
    obj.__dict__.update(created.__dict__)


def _run_service(modeladmin: admin.ModelAdmin, request: HttpRequest, call: Any) -> bool:
    """Run a service for one object of an action; report its refusal instead of a 500."""
    try:
        call()
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return False
    return True


class StaffOnly:
    """Who may use these pages is one `rules` permission (C11), not Django's per-model
    permissions: association staff with their second factor verified (the admin site itself
    also insists on the second factor)."""

    def _is_staff(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("network.view_staff_pages"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)


class StaffAdmin(StaffOnly, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(StaffAdmin):
    """Rows written only by commands (the gazetteer, import runs): look, never touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Countries ------------------------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(StaffAdmin):
    list_display = ["code", "name", "region", "numeric_code"]
    list_filter = ["region"]
    search_fields = ["code", "name", "official_name"]
    ordering = ["name"]


class CountryCodeFilter(admin.SimpleListFilter):
    """A country filter on a plain code column, offering the registry's countries (a DISTINCT
    over the gazetteer's rows would scan it on every page)."""

    title = _("country")
    parameter_name = "country_code"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Any:
        return list(Country.objects.order_by("name").values_list("code", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(country_code=self.value())
        return queryset


# --- Communities ----------------------------------------------------------------------------


@admin.register(Community)
class CommunityAdmin(StaffAdmin):
    list_display = ["name", "country", "region", "kind", "population", "location_status"]
    list_filter = ["kind", "location_status", "country__region", "country"]
    # Searched through Community.objects.search (accent- and case-folded prefix on the
    # indexed search name), see get_search_results; also used by the autocompletes.
    search_fields = ["name"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    show_full_result_count = False
    readonly_fields = [
        "slug",
        "location_status",
        "location_note",
        "suggested_latitude",
        "suggested_longitude",
        "source_label",
        "created_at",
        "updated_at",
    ]
    actions = ["accept_suggested_point", "keep_current_point"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Community], search_term: str
    ) -> tuple[QuerySet[Community], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.search(term) | queryset.filter(slug=term), False  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Community, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        _adopt(
            obj,
            create_community(
                name=data["name"],
                country=data["country"],
                region=data.get("region", ""),
                kind=data["kind"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                population=data.get("population"),
                geonames_id=data.get("geonames_id"),
                wikidata_id=data.get("wikidata_id", ""),
                by=request.user,
            ),
        )

    @admin.action(description=_("Accept the gazetteer's point"))
    def accept_suggested_point(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        done = sum(
            _run_service(
                self, request, lambda c=c: accept_suggested_location(community=c, by=request.user)
            )
            for c in queryset
        )
        self.message_user(request, gettext("%(n)d point(s) moved.") % {"n": done})

    @admin.action(description=_("Keep the current point"))
    def keep_current_point(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        done = sum(
            _run_service(
                self, request, lambda c=c: dismiss_location_flag(community=c, by=request.user)
            )
            for c in queryset
        )
        self.message_user(request, gettext("%(n)d point(s) kept.") % {"n": done})


# --- Partnerships ---------------------------------------------------------------------------


class PartnershipStatusChangeInline(StaffOnly, admin.TabularInline):
    """The status history, written only by the services."""

    model = PartnershipStatusChange
    fields = ["status", "changed_on", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartnershipStatusChange]:
        return super().get_queryset(request).select_related("recorded_by")


class PartnershipAdminForm(forms.ModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"),
        max_length=300,
        required=False,
        help_text=_("Kept in the status history when the status changes."),
    )

    class Meta:
        model = Partnership
        fields = [  # the admin narrows these per page (get_fields)
            "community_a",
            "community_b",
            "kind",
            "status",
            "established_year",
            "source",
            "source_reference",
            "notes",
        ]

    def clean(self) -> dict[str, Any]:
        # The pair is stored in id order whatever the order staff pick the two communities,
        # so the "already partners" check sees the pair either way round.
        data = super().clean()
        one, other = data.get("community_a"), data.get("community_b")
        if one and other and one.pk > other.pk:
            data["community_a"], data["community_b"] = other, one
        return data


@admin.register(Partnership)
class PartnershipAdmin(StaffAdmin):
    form = PartnershipAdminForm
    list_display = ["__str__", "kind", "status", "status_changed_on", "established_year", "source"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["community_a__name", "community_b__name", "=source_reference"]
    list_select_related = ["community_a", "community_b"]
    autocomplete_fields = ["community_a", "community_b"]
    show_full_result_count = False
    ordering = ["-pk"]
    inlines = [PartnershipStatusChangeInline]
    add_fields = [
        "community_a",
        "community_b",
        "kind",
        "status",
        "established_year",
        "source",
        "source_reference",
    ]
    change_fields = [
        "community_a",
        "community_b",
        "kind",
        "status",
        "status_note",
        "status_changed_on",
        "established_year",
        "source",
        "source_reference",
        "confirmed_by_a_on",
        "confirmed_by_b_on",
        "notes",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.change_fields if obj else self.add_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        # The sides do not change (record another partnership); dates come from services.
        return [
            "community_a",
            "community_b",
            "status_changed_on",
            "confirmed_by_a_on",
            "confirmed_by_b_on",
        ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a partnership ends (a status change, kept in its history), never vanishes

    def save_model(self, request: HttpRequest, obj: Partnership, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            _adopt(
                obj,
                record_partnership(
                    community=data["community_a"],
                    partner=data["community_b"],
                    kind=data["kind"],
                    status=data["status"],
                    established_year=data.get("established_year"),
                    source=data.get("source", ""),
                    source_reference=data.get("source_reference", ""),
                    by=request.user,
                ),
            )
            return
        new_status = obj.status
        if "status" in form.changed_data:
            obj.status = form.initial["status"]  # the service moves it and keeps the history
        super().save_model(request, obj, form, change)
        if new_status != obj.status:
            change_partnership_status(
                partnership=obj,
                status=new_status,
                note=data.get("status_note", ""),
                by=request.user,
            )


# --- Members --------------------------------------------------------------------------------


class OfficerInline(StaffOnly, admin.TabularInline):
    model = Officer
    extra = 0


class ContactInline(StaffOnly, admin.TabularInline):
    model = Contact
    extra = 0


class MemberAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    # E-mail addresses rather than a select of every account (or an autocomplete that would
    # need the user admin's permissions): staff know the committee's address.
    admin_emails = forms.CharField(
        label=_("committee admins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The e-mail addresses of their accounts, one per line."),
    )

    class Meta:
        model = Member
        fields = ["name", "kind", "communities", *MEMBER_PROFILE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            emails = self.instance.admins.order_by("email").values_list("email", flat=True)
            self.initial["admin_emails"] = "\n".join(emails)

    def clean_admin_emails(self) -> list[Any]:
        text = self.cleaned_data["admin_emails"]
        emails = {e.lower() for e in re.split(r"[\s,;]+", text) if e}
        users = list(get_user_model().objects.filter(email__in=emails).order_by("email"))
        unknown = emails - {user.email.lower() for user in users}
        if unknown:
            raise ValidationError(
                gettext("No account has these addresses: %(emails)s")
                % {"emails": ", ".join(sorted(unknown))}
            )
        return users


@admin.register(Member)
class MemberAdmin(StaffAdmin):
    form = MemberAdminForm
    list_display = ["name", "kind", "seeking_partner", "website"]
    list_filter = ["kind", "seeking_partner"]
    search_fields = ["name", "slug", "communities__name"]
    autocomplete_fields = ["communities"]
    # The seeking flag follows the communities' seeking profiles (matchmaking keeps it).
    readonly_fields = ["slug", "seeking_partner"]
    inlines = [OfficerInline, ContactInline]

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            profile = {name: data[name] for name in MEMBER_PROFILE_FIELDS if name in data}
            _adopt(
                obj,
                create_member(
                    name=data["name"],
                    kind=data["kind"],
                    communities=list(data["communities"]),
                    by=request.user,
                    **profile,
                ),
            )
            return
        profile = {name: data[name] for name in form.changed_data if name in MEMBER_PROFILE_FIELDS}
        for name in profile:  # the profile service applies these and logs them
            setattr(obj, name, form.initial[name])
        super().save_model(request, obj, form, change)
        if profile:
            update_member_profile(member=obj, by=request.user, **profile)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        wanted = set(form.cleaned_data["admin_emails"])
        current = set(form.instance.admins.all())
        super().save_related(request, form, formsets, change)  # communities, officers, contacts
        for user in sorted(wanted - current, key=lambda u: u.pk):
            add_committee_admin(member=form.instance, user=user, by=request.user)
        for user in sorted(current - wanted, key=lambda u: u.pk):
            remove_committee_admin(member=form.instance, user=user, by=request.user)


@admin.register(Officer)
class OfficerAdmin(StaffAdmin):
    list_display = ["name", "position", "member", "email", "term_end"]
    list_filter = ["position", "member__kind"]
    search_fields = ["name", "email", "member__name"]
    list_select_related = ["member"]
    autocomplete_fields = ["member"]


@admin.register(Contact)
class ContactAdmin(StaffAdmin):
    list_display = ["name", "role", "member", "email", "phone"]
    list_filter = ["role", "member__kind"]
    search_fields = ["name", "email", "member__name"]
    list_select_related = ["member"]
    autocomplete_fields = ["member"]


# --- Proposals ------------------------------------------------------------------------------


@admin.register(PartnershipProposal)
class PartnershipProposalAdmin(StaffAdmin):
    """Proposals are made by committee admins (portal or API) and decided here or on the
    staff pages, always through the services; their fields are never edited."""

    list_display = ["__str__", "member", "action", "status", "state", "created_at"]
    list_filter = ["state", "action", "kind"]
    search_fields = ["member__name", "community__name", "partner__name"]
    list_select_related = ["member", "community", "partner"]
    show_full_result_count = False
    actions = ["approve", "decline"]
    readonly_fields = [
        "member",
        "action",
        "community",
        "partner",
        "kind",
        "status",
        "established_year",
        "note",
        "state",
        "proposed_by",
        "decided_by",
        "decided_at",
        "decision_message",
        "partnership",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request: HttpRequest, queryset: QuerySet[PartnershipProposal]) -> None:
        done = sum(
            _run_service(self, request, lambda p=p: approve_proposal(proposal=p, by=request.user))
            for p in queryset
        )
        self.message_user(request, gettext("%(n)d request(s) approved.") % {"n": done})

    @admin.action(description=_("Decline the selected requests…"))
    def decline(
        self, request: HttpRequest, queryset: QuerySet[PartnershipProposal]
    ) -> HttpResponse | None:
        """Asks for the message the committee will read, then declines each request."""
        form = DeclineProposalForm(request.POST if "message" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            done = sum(
                _run_service(
                    self,
                    request,
                    lambda p=p: decline_proposal(proposal=p, message=message, by=request.user),
                )
                for p in queryset
            )
            self.message_user(request, gettext("%(n)d request(s) declined.") % {"n": done})
            return None
        return TemplateResponse(
            request,
            "admin/network/partnershipproposal/decline_selected.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Decline requests"),
                "opts": self.model._meta,
                "form": form,
                "proposals": queryset,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


# --- Written by commands: the gazetteer and import runs -----------------------------------


class PopulationFilter(admin.SimpleListFilter):
    title = _("population")
    parameter_name = "population"
    bands = {"small": (0, 10_000), "medium": (10_000, 100_000), "large": (100_000, None)}

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Any:
        return [
            ("small", _("under 10,000")),
            ("medium", _("10,000 to 100,000")),
            ("large", _("100,000 and over")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() not in self.bands:
            return queryset
        low, high = self.bands[self.value()]
        queryset = queryset.filter(population__gte=low)
        return queryset if high is None else queryset.filter(population__lt=high)


@admin.register(GazetteerPlace)
class GazetteerPlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "country_code", "admin1_code", "population", "latitude", "longitude"]
    list_filter = [CountryCodeFilter, PopulationFilter]
    search_fields = ["^name", "=geonames_id"]
    show_full_result_count = False
    ordering = ["name"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "source_name",
        "created_at",
        "succeeded",
        "rows_read",
        "created",
        "already_present",
        "rejected",
    ]
    list_filter = ["succeeded", "created_at"]
    search_fields = ["source_name", "message"]
    list_select_related = ["started_by"]
    date_hierarchy = "created_at"
