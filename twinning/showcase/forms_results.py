"""Forms of judging and the exhibit: a committee's local round, staff's decision on an entry,
and a booking of the travelling exhibit. Validation only (C9); the services write."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.review.models import Decision

DECISION_CHOICES = [
    (value, label)
    for value, label in Decision.Outcome.choices
    if value != Decision.Outcome.ADVANCED
]
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class MemberChoiceForm(forms.Form):
    """Which of the user's member committees acts (a select only when there are several)."""

    member = forms.ModelChoiceField(queryset=None, label=_("Committee"), empty_label=None)

    def __init__(self, *args, members=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DECISION_CHOICES)
    place = forms.TypedChoiceField(
        label=_("Place"),
        choices=[("", _("None")), (1, _("1st")), (2, _("2nd")), (3, _("3rd"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Note for the record"), max_length=1000, required=False)


class BookingForm(MemberChoiceForm):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        help_text=_("The month you would show the exhibit, e.g. 2027-03."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)

    def clean_month(self) -> datetime.date:
        match = _MONTH.match(self.cleaned_data["month"].strip())
        try:
            return datetime.date(int(match.group(1)), int(match.group(2)), 1)  # type: ignore[union-attr]
        except (AttributeError, ValueError) as error:
            raise forms.ValidationError(
                _("Enter a month as year and month, e.g. 2027-03.")
            ) from error
