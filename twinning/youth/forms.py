"""The neutral age screen (P-01, PRIV-1): no pre-filled year, no hint of the threshold."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.core.dates import association_today
from twinning.core.forms import DateInput


class AgeScreenForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Your date of birth"), widget=DateInput(attrs={"autocomplete": "bday"})
    )

    def clean_date_of_birth(self) -> datetime.date:
        value = self.cleaned_data["date_of_birth"]
        if value > association_today() or value.year < 1900:
            raise forms.ValidationError(_("Enter your real date of birth."))
        return value
