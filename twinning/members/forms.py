"""Forms of the members app: validation only (C9); services do the writing."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import Sector
from twinning.core.forms import DateInput
from twinning.members.models import OVERRIDE_CHOICES, MembershipType, Payment, Status
from twinning.members.queries import NO_MEMBERSHIP
from twinning.network.choosers import CommunityField
from twinning.network.models import Community, Country, Member, Region


class ApplicationForm(forms.Form):
    """Apply (or renew) for some or all of a member's communities."""

    membership_type = forms.ModelChoiceField(
        label=_("Membership type"), queryset=MembershipType.objects.filter(active=True)
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities covered"),
        queryset=Community.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    auto_renew = forms.BooleanField(
        label=_("Send us a renewal invoice automatically before the end"), required=False
    )
    note = forms.CharField(
        label=_("Note to the association's staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = member.communities.select_related("country")  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    """A new organisation applies: its name, kind and home community (chosen in the registry)."""

    name = forms.CharField(label=_("Name of your organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Member.Kind.choices)
    community = CommunityField(label=_("Your community"))
    other_community = CommunityField(
        label=_("Another community you represent (optional)"), required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    membership_type = forms.ModelChoiceField(
        label=_("Membership type"), queryset=MembershipType.objects.filter(active=True)
    )
    note = forms.CharField(
        label=_("Note to the association's staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def communities(self) -> list[Community]:
        picked = [self.cleaned_data.get("community"), self.cleaned_data.get("other_community")]
        result: list[Community] = []
        for community in picked:
            if community is not None and community not in result:
                result.append(community)
        return result


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the committee"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverrideForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("No override (computed)")), *OVERRIDE_CHOICES],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput)


class InvoiceForm(forms.Form):
    """Up to three lines; empty lines are ignored."""

    LINES = 3
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)
    note = forms.CharField(label=_("Note on the invoice"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(self.LINES):
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Line %(n)s: description") % {"n": i + 1}, required=False, max_length=300
            )
            self.fields[f"quantity_{i}"] = forms.DecimalField(
                label=_("Line %(n)s: quantity") % {"n": i + 1},
                required=False,
                min_value=0.01,
                max_digits=9,
                decimal_places=2,
            )
            self.fields[f"unit_price_{i}"] = forms.DecimalField(
                label=_("Line %(n)s: unit price") % {"n": i + 1},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = []
        for i in range(self.LINES):
            description = data.get(f"description_{i}")
            price = data.get(f"unit_price_{i}")
            if description and price is not None:
                lines.append((description, data.get(f"quantity_{i}") or 1, price))
            elif description or price is not None:
                self.add_error(f"description_{i}", _("Give both a description and a price."))
        if not lines and not self.errors:
            raise forms.ValidationError(_("An invoice needs at least one line."))
        data["lines"] = lines
        return data


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=12, decimal_places=2)
    method = forms.ChoiceField(
        label=_("Method"),
        # Online payments are recorded by their provider, never typed in by staff.
        choices=[c for c in Payment.Method.choices if c[0] != Payment.Method.ONLINE],
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CreditForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to credit"),
        required=False,
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        help_text=_("Empty: everything still owed."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MemberFilterForm(forms.Form):
    """The staff list's filters and the bulk e-mail's segment."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *Status.choices, (NO_MEMBERSHIP, _("No membership"))],
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any")), *Region.choices]
    )
    country = forms.ModelChoiceField(
        label=_("Country"), required=False, queryset=Country.objects.none(), to_field_name="code"
    )
    program = forms.ChoiceField(
        label=_("Program"),
        required=False,
        choices=[("", _("Any")), *Sector.choices],
        help_text=_("Members who reported an activity in this program area."),
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(
        self, *args: Any, countries: QuerySet[Country] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = (
            countries if countries is not None else Country.objects.all()
        )  # type: ignore[attr-defined]

    def segment(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        country = data.get("country")
        return {
            "status": data.get("status") or "",
            "region": data.get("region") or "",
            "country": country.code if country else "",
            "q": data.get("q") or "",
            "program": data.get("program") or "",
        }


class MailingForm(MemberFilterForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class AcceptInvitationForm(forms.Form):
    """For a visitor without an account: their name and a password."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput, strip=False, max_length=200
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with a header row."))
