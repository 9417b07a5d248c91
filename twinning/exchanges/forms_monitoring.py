"""The forms of monitoring and incidents (section 3): validation only, the services write.
Apart from `forms.py` so the section's parallel work merges without conflict."""

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput
from twinning.exchanges.models import Incident, MonthlyContact


class MonthlyContactForm(forms.Form):
    contact_with = forms.ChoiceField(label=_("Contact with"), choices=MonthlyContact.With.choices)
    contacted_on = forms.DateField(label=_("Date of the contact"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=MonthlyContact.Method.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IncidentForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=Incident.Type.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    occurred_on = forms.DateField(label=_("Date it happened"), widget=DateInput)
    description = forms.CharField(
        label=_("What happened"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    people_involved = forms.CharField(
        label=_("People involved"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MandatoryReportForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported to the Department of State on"), widget=DateInput
    )
    reference = forms.CharField(label=_("The Department's reference"), max_length=100)
