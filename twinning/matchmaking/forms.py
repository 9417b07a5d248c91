"""Forms of matchmaking: validation only (C9); the services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import Sector
from twinning.matchmaking.languages import language_choices
from twinning.matchmaking.models import TEXT_LIMIT, SeekingProfile
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
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("Any field")), *Sector.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, countries: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("Any language")), *language_choices()]  # type: ignore[attr-defined]
