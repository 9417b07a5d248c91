"""Forms of the staff pages and the committee portal: they declare fields and validate input
only (C9); the views hand `cleaned_data` to the services, which write and log."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput
from twinning.network.choosers import CommunityField
from twinning.network.models import (
    Community,
    Country,
    Member,
    Partnership,
)
from twinning.network.scopes import scope_choices

# --- Staff ------------------------------------------------------------------------------------


class ApproveProposalForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the committee (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineProposalForm(forms.Form):
    message = forms.CharField(
        label=_("Why is the request declined?"),
        help_text=_("The committee sees this message in its portal."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LocationFilterForm(forms.Form):
    """Filters of the data-quality list; any bad value is simply ignored (not filtered)."""

    status = forms.ChoiceField(label=_("Problem"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country"),
        required=False,
        queryset=Country.objects.none(),
        to_field_name="code",
        empty_label=_("All countries"),
    )

    def __init__(self, *args: Any, countries: QuerySet[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flagged = [
            (value, label)
            for value, label in Community.LocationStatus.choices
            if value not in (Community.LocationStatus.OK, Community.LocationStatus.UNCHECKED)
        ]
        self.fields["status"].choices = [("", _("All problems")), *flagged]
        self.fields["country"].queryset = countries  # type: ignore[attr-defined]


class PartnershipRecordForm(forms.Form):
    community = CommunityField(label=_("First community"))
    partner = CommunityField(label=_("Second community"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Partnership.Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=Partnership.Status.choices, initial=Partnership.Status.ACTIVE
    )
    established_year = forms.IntegerField(
        label=_("Year established"), required=False, min_value=1000, max_value=2100
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        required=False,
        help_text=_("Where this record comes from, e.g. a council resolution."),
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=300,
        required=False,
        help_text=_("A document, a page or an address in the source."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, other = data.get("community"), data.get("partner")
        if one is not None and other is not None and one.pk == other.pk:
            self.add_error("partner", _("A community cannot be partnered with itself."))
        return data


class PartnershipStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Partnership.Status.choices)
    on = forms.DateField(
        label=_("Date of the change"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for today."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmSideForm(forms.Form):
    """Which side of a partnership confirms it: only the partnership's own communities (and,
    in the portal, only those of the member) can be chosen."""

    side = forms.ModelChoiceField(label=_("Confirmed by"), queryset=Community.objects.none())

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        within: QuerySet[Community] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        sides = Community.objects.filter(
            pk__in=[partnership.community_a_id, partnership.community_b_id]
        )
        if within is not None:
            sides = sides.filter(pk__in=within.values("pk"))
        self.fields["side"].queryset = sides  # type: ignore[attr-defined]


# --- Committee portal --------------------------------------------------------------------------


class MemberProfileForm(forms.Form):
    """The public profile of a member organisation. A plain Form, not a ModelForm: a ModelForm
    would write the values onto the instance before the service compares old and new."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. youth exchanges, music, sustainable farming."),
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("e.g. English, Spanish"),
    )

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {name: getattr(member, name) for name in cls.base_fields}


class ProposalForm(forms.Form):
    """A new partnership for one of the member's own communities. The community list is the
    member's own, so an id of another committee's community is refused as an invalid choice."""

    community = forms.ModelChoiceField(
        label=_("Our community"), queryset=Community.objects.none(), empty_label=None
    )
    partner = CommunityField(label=_("Partner community"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Partnership.Kind.choices)
    established_year = forms.IntegerField(
        label=_("Year established"), required=False, min_value=1000, max_value=2100
    )
    note = forms.CharField(
        label=_("Note to staff"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything that helps staff check the partnership, e.g. a council decision."),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = member.communities.select_related(  # type: ignore[attr-defined]
            "country"
        )


class StatusProposalForm(forms.Form):
    status = forms.ChoiceField(label=_("Requested status"), choices=Partnership.Status.choices)
    note = forms.CharField(
        label=_("Note to staff"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the status changes, and since when."),
    )


# --- API tokens -------------------------------------------------------------------------------

TOKEN_LIFETIMES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("one year")),
]


class ApiTokenForm(forms.Form):
    """A committee's token: its name, scopes and lifetime (the service checks the rest)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "What will use the token, for example “Website sync”, so you know which one to "
            "revoke later."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope: what the token may do.")},
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"), coerce=int, choices=TOKEN_LIFETIMES, initial=90
    )

    def __init__(self, *args: Any, committee: bool | None = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices(committee=committee)  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `create_api_token` (apart from member and by)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "expires_at": timezone.now() + datetime.timedelta(days=data["lifetime"]),
        }


class StaffApiTokenForm(ApiTokenForm):
    """Staff choose the member a token acts for, or none for a staff token; every scope is
    offered and the service refuses member scopes on a staff token, saying why."""

    member = forms.ModelChoiceField(
        label=_("Acts for"),
        queryset=Member.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("No member organisation: a staff token"),
    )
    field_order = ["name", "member", "scopes", "lifetime"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, committee=None, **kwargs)
