"""Forms of the activity pages: they declare fields and validate input only (C9); the views
hand `cleaned_data` to the services. The partnership chooser offers only the member's own
partnerships, so a tampered id is refused by the form itself (ACC-3)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import (
    SECTOR_KINDS,
    Activity,
    ItineraryStop,
    Kind,
    Sector,
    Traveller,
)
from twinning.activities.queries import member_partnership_choices
from twinning.core.forms import DateInput
from twinning.network.models import Member, Partnership

MONEY_LIMIT = 10**10
PEOPLE_LIMIT = 1_000_000


def kind_choices() -> list[Any]:
    """The kinds grouped by sector, for a select with optgroups."""
    labels = dict(Kind.choices)
    return [("", _("Choose the kind of activity"))] + [
        (Sector(sector).label, [(kind, labels[kind]) for kind in kinds])
        for sector, kinds in SECTOR_KINDS.items()
    ]


class PartnershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Partnership) -> str:
        return (
            f"{obj.community_a.name} ({obj.community_a.country.name}) – "
            f"{obj.community_b.name} ({obj.community_b.country.name})"
        )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=kind_choices,
        help_text=_("The kinds are grouped by the association's five program areas."),
    )
    partnerships = PartnershipChoiceField(
        label=_("Partnerships"),
        queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The partnership or partnerships this activity belongs to."),
        error_messages={
            "invalid_choice": _("Choose partnerships of your own member's communities only."),
            "invalid_pk_value": _("Choose partnerships of your own member's communities only."),
        },
    )
    is_delegation = forms.BooleanField(
        label=_("This is a delegation (a group travelling to a partner)"),
        required=False,
        help_text=_("You then list its travellers and itinerary, and can print their letters."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    places = forms.CharField(label=_("Places"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    visitors_under_18 = forms.IntegerField(
        label=_("Visitors under 18"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    visitors_18_30 = forms.IntegerField(
        label=_("Visitors aged 18 to 30"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    visitors_over_30 = forms.IntegerField(
        label=_("Visitors over 30"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    hosts_under_18 = forms.IntegerField(
        label=_("Hosts under 18"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    hosts_18_30 = forms.IntegerField(
        label=_("Hosts aged 18 to 30"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    hosts_over_30 = forms.IntegerField(
        label=_("Hosts over 30"), min_value=0, max_value=PEOPLE_LIMIT, initial=0
    )
    volunteer_hours = forms.IntegerField(
        label=_("Volunteer hours"), min_value=0, max_value=10_000_000, initial=0
    )
    money_raised = forms.DecimalField(
        label=_("Money raised"),
        min_value=0,
        max_value=MONEY_LIMIT - 1,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    money_spent = forms.DecimalField(
        label=_("Money spent"),
        min_value=0,
        max_value=MONEY_LIMIT - 1,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    agreements_signed = forms.IntegerField(
        label=_("Agreements signed"), min_value=0, max_value=1000, initial=0
    )
    # Outcome indicators (mostly of peer learning): left empty, they count as none.
    policies_adopted = forms.IntegerField(
        label=_("Policies adopted"),
        min_value=0,
        max_value=1000,
        initial=0,
        required=False,
        help_text=_("Peer learning: policies or regulations adopted thanks to the exchange."),
    )
    people_trained = forms.IntegerField(
        label=_("People trained"), min_value=0, max_value=PEOPLE_LIMIT, initial=0, required=False
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What comes next: visits, projects, agreements."),
    )

    def __init__(
        self, *args: Any, member: Member, with_counterpart: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = member_partnership_choices(member)  # type: ignore[attr-defined]
        if with_counterpart:
            # An exchange with a community that is not a partner: it names no partnership.
            del self.fields["partnerships"]

    def clean_policies_adopted(self) -> int:
        return self.cleaned_data.get("policies_adopted") or 0

    def clean_people_trained(self) -> int:
        return self.cleaned_data.get("people_trained") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        initial = {
            name: getattr(activity, name)
            for name in ActivityForm.base_fields
            if name != "partnerships"
        }
        initial["partnerships"] = list(activity.partnerships.values_list("pk", flat=True))
        return initial


class TravellerForm(forms.ModelForm):
    class Meta:
        model = Traveller
        fields = ["name", "role"]


class ItineraryStopForm(forms.ModelForm):
    class Meta:
        model = ItineraryStop
        fields = ["date", "place", "purpose"]
        widgets = {"date": DateInput()}


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("A JPEG or PNG image."))
    caption = forms.CharField(
        label=_("Caption"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the committee"),
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("What should they change? It is e-mailed to the member's committee admins."),
    )


class AnnualReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
