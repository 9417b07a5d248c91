"""Relief's forms: validation only (C9); the views hand cleaned data to the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput
from twinning.members.models import Payment
from twinning.network.models import Community, Member, Partnership
from twinning.relief.models import MAX_QUANTITY, Appeal, Need, Pledge, Shipment


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Appeal.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea, required=False)
    community = forms.ModelChoiceField(
        label=_("Affected community"), queryset=Community.objects.order_by("name")
    )
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships"),
        queryset=Partnership.objects.select_related("community_a", "community_b"),
        required=False,
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising committees"), queryset=Member.objects.order_by("name"), required=False
    )
    goal = forms.DecimalField(label=_("Goal"), min_value=0, max_digits=15, decimal_places=3)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    partner_name = forms.CharField(label=_("Partner contact's name"), required=False)
    partner_email = forms.EmailField(label=_("Partner contact's e-mail"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Appeal.Status.choices)


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Need.Kind.choices)
    title = forms.CharField(label=_("What is needed"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**9)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Need.Priority.choices, coerce=int, initial=3
    )


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Pledge.Kind.choices)
    need = forms.ModelChoiceField(label=_("Need"), queryset=Need.objects.none(), required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=0, required=False, decimal_places=3)
    committee = forms.ModelChoiceField(
        label=_("Pledge for"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Someone else (name below)"),
    )
    name = forms.CharField(label=_("Public name"), max_length=150, required=False)
    anonymous = forms.BooleanField(label=_("Show as anonymous"), required=False)
    email = forms.EmailField(label=_("E-mail (never shown)"), required=False)
    follow = forms.BooleanField(label=_("Send the appeal's updates by e-mail"), required=False)

    def __init__(self, *args: Any, appeal: Appeal, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        need_field: Any = self.fields["need"]
        need_field.queryset = appeal.needs.confirmed()
        committee_field: Any = self.fields["committee"]
        committee_field.queryset = user.administered_members.order_by("name")


class DonationForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=15, decimal_places=3)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("Method"), choices=Payment.Method.choices, initial=Payment.Method.BANK_TRANSFER
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    name = forms.CharField(label=_("Donor's public name"), max_length=150, required=False)
    anonymous = forms.BooleanField(label=_("Show as anonymous"), required=False)
    email = forms.EmailField(label=_("Donor's e-mail (never shown)"), required=False)
    follow = forms.BooleanField(label=_("The donor wants the updates by e-mail"), required=False)
    need = forms.ModelChoiceField(
        label=_("For the money need (optional)"),
        queryset=Need.objects.none(),
        required=False,
        help_text=_("The gift then counts towards that need (in the appeal's currency)."),
    )

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["need"]
        field.queryset = appeal.needs.confirmed().filter(kind=Need.Kind.MONEY)


class ExpenseForm(forms.Form):
    description = forms.CharField(label=_("What it bought"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=15, decimal_places=3)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    spent_on = forms.DateField(label=_("Spent on"), widget=DateInput())
    receipt = forms.FileField(label=_("Receipt (PDF or photo)"))


class ShipmentForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking = forms.CharField(label=_("Tracking reference"), max_length=100, required=False)
    pledges = forms.ModelMultipleChoiceField(
        label=_("Pledges of goods to ship (their whole quantity)"),
        queryset=Pledge.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["pledges"]
        field.queryset = appeal.pledges.filter(
            kind=Pledge.Kind.GOODS, shipment_lines__isnull=True
        ).select_related("need")


class ShipmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Shipment.Status.choices)
    on = forms.DateField(label=_("On"), widget=DateInput(), required=False)


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea)


class PhotoForm(forms.Form):
    caption = forms.CharField(label=_("What the photo shows"), max_length=200)
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))


class ReceiptForm(forms.Form):
    """A count per line of the shipment, a note and a photo."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)
    photo = forms.FileField(label=_("Photo of what arrived"), required=False)

    def __init__(
        self, *args: Any, shipment: Shipment, ask_name: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not ask_name:
            del self.fields["name"]
        for line in shipment.lines.select_related("need"):
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(need)s: received (sent %(sent)s %(unit)s)")
                % {"need": line.need.title, "sent": line.quantity, "unit": line.need.unit},
                min_value=0,
                max_value=MAX_QUANTITY,
                initial=line.quantity,
            )

    def counts(self) -> dict[int, int]:
        return {
            int(key.removeprefix("line_")): value
            for key, value in self.cleaned_data.items()
            if key.startswith("line_")
        }


class PartnerNeedsForm(forms.Form):
    """The partner's contact ticks the needs to confirm and may add one."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    confirm = forms.ModelMultipleChoiceField(
        label=_("Needs to confirm"),
        queryset=Need.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_title = forms.CharField(label=_("Another need"), max_length=200, required=False)
    new_kind = forms.ChoiceField(label=_("Kind"), choices=Need.Kind.choices, required=False)
    new_quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    new_unit = forms.CharField(label=_("Unit"), max_length=40, required=False)

    def __init__(self, *args: Any, appeal: Appeal, ask_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["confirm"]
        field.queryset = appeal.needs.filter(confirmed_at__isnull=True)
        if not ask_name:
            del self.fields["name"]
