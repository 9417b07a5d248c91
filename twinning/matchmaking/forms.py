"""Forms of matchmaking: validation only (C9); the services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import Sector
from twinning.core.forms import DateInput, QuickSelect
from twinning.matchmaking.languages import language_choices
from twinning.matchmaking.models import (
    PEOPLE_LIMIT,
    TEXT_LIMIT,
    ExchangeForm,
    ExpertiseMatch,
    ExpertiseOffer,
    SeekingProfile,
    expertise_field_choices,
)
from twinning.network.models import Community, Country, Region


def _country_choices() -> list[tuple[str, str]]:
    return list(Country.objects.order_by("name").values_list("code", "name"))


class ProfileForm(forms.Form):
    """A seeking profile. A plain Form (not a ModelForm): the service compares old and new."""

    is_open = forms.BooleanField(label=_("We are seeking a partner now"), required=False)
    preferred_countries = forms.MultipleChoiceField(
        label=_("Preferred countries"),
        required=False,
        choices=_country_choices,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    preferred_regions = forms.MultipleChoiceField(
        label=_("Preferred regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    population_min = forms.IntegerField(label=_("Smallest population"), required=False, min_value=0)
    population_max = forms.IntegerField(label=_("Largest population"), required=False, min_value=0)
    sectors = forms.MultipleChoiceField(
        label=_("Fields of interest"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=language_choices,
        help_text=_("The languages your committee can work in."),
    )
    text = forms.CharField(
        label=_("About you and the partner you seek"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_for(cls, profile: SeekingProfile | None) -> dict[str, Any]:
        if profile is None:
            return {"is_open": True}
        return {name: getattr(profile, name) for name in cls.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("population_min"), data.get("population_max")
        if low is not None and high is not None and high < low:
            self.add_error("population_max", _("The largest population is below the smallest."))
        return data


class ListCommunityForm(ProfileForm):
    """Staff list a community abroad that is no member, at a partner association's request."""

    community = forms.SlugField(
        label=_("Community"), help_text=_("Its address in the directory: /communities/<slug>/.")
    )
    requested_by = forms.CharField(label=_("Listed at the request of"), max_length=200)
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    field_order = ["community", "requested_by", "contact_name", "contact_email"]

    def clean_community(self) -> Community:
        community = Community.objects.filter(slug=self.cleaned_data["community"]).first()
        if community is None:
            raise forms.ValidationError(_("No community has this address in the directory."))
        return community


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("A note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SeekingSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *Region.choices],
        widget=QuickSelect,
    )
    field = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=[("", _("Any field")), *Sector.choices],
        widget=QuickSelect,
    )
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, countries: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("Any language")), *language_choices()]  # type: ignore[attr-defined]


# --- The expertise exchange ---------------------------------------------------------------------


class _ExpertiseFields(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=expertise_field_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=language_choices,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    forms = forms.MultipleChoiceField(
        label=_("How"),
        required=False,
        choices=ExchangeForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class OfferForm(_ExpertiseFields):
    """An offer of expertise; `community` only when it is created."""

    community = forms.ChoiceField(label=_("Community offering"))
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("What you can share"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    people = forms.CharField(
        label=_("People"),
        required=False,
        max_length=PEOPLE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names and roles, one a line; no e-mail addresses or telephone numbers."),
    )
    is_open = forms.BooleanField(label=_("Open to requests"), required=False, initial=True)

    field_order = ["community", "department", "field", "summary", "people", "languages", "forms"]

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is None:
            del self.fields["community"]
        else:
            self.fields["community"].choices = [(c.slug, c.name) for c in communities]  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(offer: ExpertiseOffer) -> dict[str, Any]:
        return {
            name: getattr(offer, name)
            for name in (
                "department",
                "field",
                "summary",
                "people",
                "languages",
                "forms",
                "is_open",
            )
        }


class RequestForm(_ExpertiseFields):
    """A committee's request for one of its communities."""

    community = forms.ChoiceField(label=_("Community asking"))
    problem = forms.CharField(
        label=_("The problem"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your municipal service needs help with, and what you tried."),
    )

    field_order = ["community", "field", "problem", "languages", "forms"]

    def __init__(self, *args: Any, communities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]  # type: ignore[attr-defined]


class LinkRequestForm(_ExpertiseFields):
    """A partner abroad's request through its single-use link."""

    contact_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    problem = forms.CharField(
        label=_("The problem"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your municipal service needs help with, and what you tried."),
    )

    field_order = ["contact_name", "field", "problem", "languages", "forms"]


class InviteForm(forms.Form):
    """Send a partner abroad the link to write a request."""

    partnership = forms.TypedChoiceField(label=_("Partnership"), coerce=int)
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"))

    def __init__(self, *args: Any, partnerships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.pk, str(p)) for p in partnerships]  # type: ignore[attr-defined]


class MatchForm(forms.Form):
    form = forms.ChoiceField(
        label=_("How"), required=False, choices=[("", "—"), *ExchangeForm.choices]
    )


class OutcomeForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    policies_adopted = forms.IntegerField(label=_("Policies adopted"), min_value=0, max_value=1000)
    people_trained = forms.IntegerField(label=_("People trained"), min_value=0, max_value=100_000)
    outcome = forms.CharField(
        label=_("What came of it"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class WithdrawForm(forms.Form):
    """Withdraw a request: why, optionally (the other side is told)."""

    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("We pass it on to the other side."),
    )


class DeclineForm(forms.Form):
    """Decline a match: why (the other side is told)."""

    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("We pass it on to the other side."),
        error_messages={"required": _("Tell the other side why, in a few words.")},
    )


class StaffDeclineForm(DeclineForm):
    """Staff decline a match on one side's behalf: which side, and why (both sides are told)."""

    side = forms.ChoiceField(
        label=_("On behalf of"),
        choices=ExpertiseMatch.Side.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the side that declines.")},
    )
    field_order = ["side", "reason"]
