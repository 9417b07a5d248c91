"""Forms of the showcase's student side: validation only (C9); the services write."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput, DateTimeInput
from twinning.network.choosers import CommunityField
from twinning.showcase.models import Category, Edition, Entry
from twinning.showcase.services import SCOPES
from twinning.showcase.services.editions import EDITION_FIELDS
from twinning.youth.forms import AgeScreenForm


class EligibilityForm(AgeScreenForm):
    """The neutral age screen (youth's, PRIV-1): no pre-filled year, no hint of the
    threshold; the showcase asks the community too."""

    community = CommunityField(label=_("Your community (town or city)"))


class RegistrationForm(forms.Form):
    """What a student gives (PRIV-6): names, e-mail and password (unless signed in), optional
    school, and for a minor the guardian's e-mail; an adult chooses publication themself."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Your e-mail address"))
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    school = forms.CharField(label=_("School (optional)"), max_length=200, required=False)
    guardian_email = forms.EmailField(
        label=_("E-mail address of a parent or guardian"),
        help_text=_("We ask them for their consent. It must be their own address, not yours."),
    )
    publication_consent = forms.BooleanField(
        label=_(
            "If my work is chosen, it may be published in the virtual exhibit with my first "
            "name, community and country."
        ),
        required=False,
    )

    def __init__(self, *args: Any, signed_in: bool, minor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["email"], self.fields["password"]
        if minor:
            del self.fields["publication_consent"]
        else:
            del self.fields["guardian_email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "password" in self.fields and data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        email, guardian = data.get("email"), data.get("guardian_email")
        if email and guardian and email.strip().lower() == guardian.strip().lower():
            self.add_error(
                "guardian_email",
                _("The guardian's e-mail address must be their own, not yours."),
            )
        return data


class EntryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(
        label=_("Artist statement"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences about the work and how it interprets the theme."),
    )
    text = forms.CharField(
        label=_("Text of the poem or prose"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Poetry and prose only: type or paste the text here, or upload a PDF."),
    )
    alt_text = forms.CharField(
        label=_("Description of the image (alt text)"),
        max_length=500,
        required=False,
        help_text=_("Images only: describe the image in a sentence for people who cannot see it."),
    )
    upload = forms.FileField(
        label=_("The work (file)"),
        required=False,
        help_text=_(
            "Images: JPEG, PNG or WebP. Music: MP3, WAV, FLAC or OGG. Poetry and prose: PDF."
        ),
    )

    def __init__(self, *args: Any, edition: Edition, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["category"]
        else:
            self.fields["category"].queryset = edition.categories.all()


class ConsentForm(forms.Form):
    participation = forms.BooleanField(
        label=_("I consent to my child taking part in the showcase."), required=False
    )
    publication = forms.BooleanField(
        label=_(
            "I consent to the publication of my child's work, if chosen, with their first "
            "name, community and country."
        ),
        required=False,
    )


class WithdrawForm(forms.Form):
    scope = forms.ChoiceField(choices=[(s, s) for s in SCOPES])


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = list(EDITION_FIELDS)  # what the service accepts, named once
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "cutoff_date": DateInput(),
            "rules": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "opens_at": _("In the association's time zone."),
            "closes_at": _("In the association's time zone. The server refuses changes after it."),
        }


class EntryFilterForm(forms.Form):
    """Staff's filters of an edition's entries; a bad value is ignored, never an error page."""

    category = forms.SlugField(label=_("Category"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Entry.State.choices],
    )
    consent = forms.ChoiceField(
        label=_("Consent"),
        required=False,
        choices=[
            ("", _("Any")),
            ("missing", _("Participation consent missing")),
            ("publication", _("Publication consent given")),
        ],
    )


class ErasureExtensionForm(forms.Form):
    """Staff give an erasure request more time, with the reason the requester is told
    (GDPR Art. 12(3)); the service checks the date's bounds."""

    extended_to = forms.DateField(
        label=_("New deadline"),
        help_text=_("After the due date, and at most two months later."),
        widget=DateInput,
    )
    extension_reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
