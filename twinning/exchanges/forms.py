"""The exchange's forms: validation only, the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput
from twinning.exchanges.models import (
    RETENTION_YEARS,
    BackgroundCheck,
    Coordinator,
    Quota,
    Season,
    Student,
    StudentDocument,
)
from twinning.network.models import Member, Partnership


class SeasonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.SlugField(label=_("Short name for addresses"), max_length=160)
    kind = forms.ChoiceField(label=_("Length"), choices=Season.Kind.choices)
    arrival_date = forms.DateField(label=_("Arrival date"), widget=DateInput)
    departure_date = forms.DateField(label=_("Departure date"), widget=DateInput)
    min_age_years = forms.IntegerField(
        label=_("Youngest age on arrival (years)"), initial=15, min_value=10, max_value=20
    )
    max_age_months = forms.IntegerField(
        label=_("Age limit on arrival (months)"),
        initial=222,
        min_value=150,
        max_value=300,
        help_text=_("A student must be younger than this on the arrival date (222 = 18½ years)."),
    )
    retention_years = forms.IntegerField(
        label=_("Years the records are kept after the departure"),
        initial=3,
        min_value=1,
        max_value=10,
        required=False,
        help_text=_(
            "Then the students' and host families' personal data is deleted; the counts stay "
            "(three years when left empty)."
        ),
    )

    def clean_retention_years(self) -> int:
        return self.cleaned_data.get("retention_years") or RETENTION_YEARS


class QuotaForm(forms.Form):
    host = forms.ModelChoiceField(label=_("Hosting committee"), queryset=Member.objects.none())
    partnership = forms.ModelChoiceField(
        label=_("Partnership (the sister city that sends)"), queryset=Partnership.objects.none()
    )
    places = forms.IntegerField(label=_("Places offered"), min_value=1, max_value=100)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Member.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["partnership"].queryset = Partnership.objects.select_related(  # type: ignore[attr-defined]
            "community_a", "community_b"
        ).order_by("community_a__name", "community_b__name")


class ContactForm(forms.Form):
    quota: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Places"), queryset=Quota.objects.none()
    )
    name = forms.CharField(label=_("Contact's name"), max_length=150)
    email = forms.EmailField(label=_("Contact's e-mail"))

    def __init__(self, *args, quotas, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["quota"].queryset = quotas  # type: ignore[attr-defined]


class NominationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    email = forms.EmailField(label=_("The student's e-mail"))
    guardian_email = forms.EmailField(
        label=_("The parent's or guardian's e-mail"),
        help_text=_("We ask them for their consent: the place needs it."),
    )
    emergency_contacts = forms.CharField(
        label=_("Emergency contacts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name, relationship and telephone number of each, one per line."),
        max_length=2000,
    )
    interview_notes = forms.CharField(
        label=_("Interview notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    medical_notes = forms.CharField(
        label=_("Medical needs (medicines, conditions)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_(
            "Read only by the hosting committee's exchange coordinator and the association's "
            "welfare staff."
        ),
    )
    allergies = forms.CharField(
        label=_("Allergies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    passport_expires_on = forms.DateField(
        label=_("Passport expires on"), widget=DateInput, required=False
    )


class RestrictedForm(forms.Form):
    medical_notes = forms.CharField(
        label=_("Medical notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    allergies = forms.CharField(
        label=_("Allergies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    passport_expires_on = forms.DateField(
        label=_("Passport expires on"), widget=DateInput, required=False
    )
    sponsor_form_number = forms.CharField(
        label=_("Sponsor form number (DS-2019)"), max_length=40, required=False
    )
    visa_issued_on = forms.DateField(label=_("Visa issued on"), widget=DateInput, required=False)
    visa_expires_on = forms.DateField(label=_("Visa expires on"), widget=DateInput, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Student.Status.choices)
    message = forms.CharField(
        label=_("Message to the student and the sending contact"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=StudentDocument.Kind.choices)
    file = forms.FileField(label=_("PDF file"))


class FamilyForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("The committee you would host with"), queryset=Member.objects.none()
    )
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Telephone"), max_length=40)
    languages = forms.CharField(label=_("Languages spoken at home"), max_length=200)
    pets = forms.CharField(
        label=_("Pets"), max_length=200, required=False, help_text=_("Which animals live with you?")
    )
    smoking = forms.BooleanField(label=_("Someone smokes in the home"), required=False)
    room = forms.CharField(
        label=_("The room offered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Its own room or shared, bed, desk, storage."),
    )
    capacity = forms.IntegerField(
        label=_("Students you offer to host"), min_value=1, max_value=3, initial=1
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        hosting = Member.objects.filter(exchange_quotas__isnull=False).distinct().order_by("name")
        self.fields["member"].queryset = hosting  # type: ignore[attr-defined]


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    relationship = forms.CharField(label=_("Relationship"), max_length=60)


class ReferenceAskForm(forms.Form):
    name = forms.CharField(label=_("Referee's name"), max_length=150)
    email = forms.EmailField(label=_("Referee's e-mail"))


class ReferenceAnswerForm(forms.Form):
    recommends = forms.TypedChoiceField(
        label=_("Do you recommend this family to host a student?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("How do you know the family, and why do you recommend them (or not)?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class CheckForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput)
    provider = forms.CharField(label=_("Provider"), max_length=150)
    result = forms.ChoiceField(label=_("Result"), choices=BackgroundCheck.Result.choices)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=Coordinator.objects.none()
    )
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    suitable = forms.BooleanField(label=_("The home is suitable for a student"), required=False)
    photos = MultipleFileField(
        label=_("Photos of the student's room (private)"),
        required=False,
        help_text=_("JPEG, PNG or WebP; at most six."),
    )

    def __init__(self, *args, member, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Coordinator.objects.filter(member=member)  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the family"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("School"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    contact_name = forms.CharField(label=_("Contact's name"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact's e-mail"))
    contact_phone = forms.CharField(label=_("Contact's telephone"), max_length=40, required=False)


class LetterForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    letter = forms.FileField(label=_("Signed acceptance letter (PDF)"))


class CoordinatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail of their account"))
    is_exchange_coordinator = forms.BooleanField(
        label=_("The committee's exchange coordinator"),
        required=False,
        help_text=_("Reads the students' medical, passport and visa details."),
    )


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=150)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput)


# --- Matching, placement and orientation (section 3) -------------------------------------------


class _PlacementChoices(forms.Form):
    """The committee's approved families, schools and coordinators; the placing service checks
    the capacity, the school's letter and the coordinator's training and says what is wrong."""

    approval = forms.ModelChoiceField(label=_("Host family"), queryset=Coordinator.objects.none())
    school = forms.ModelChoiceField(label=_("School"), queryset=Coordinator.objects.none())
    coordinator = forms.ModelChoiceField(
        label=_("Local coordinator"), queryset=Coordinator.objects.none()
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)

    def __init__(self, *args, member, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from twinning.exchanges.models import FamilyApproval, HostFamily, School

        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["approval"].queryset = FamilyApproval.objects.filter(  # type: ignore[attr-defined]
            family__member=member, family__status=HostFamily.Status.APPROVED
        ).select_related("family")
        fields["school"].queryset = School.objects.filter(member=member)  # type: ignore[attr-defined]
        fields["coordinator"].queryset = Coordinator.objects.filter(member=member)  # type: ignore[attr-defined]


class PlacementForm(_PlacementChoices):
    pass


class ChangePlacementForm(_PlacementChoices):
    reason = forms.CharField(
        label=_("Why the placement changes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PreferencesForm(forms.Form):
    accepts_pets = forms.BooleanField(
        label=_("The student is happy to live with pets"), required=False
    )
    accepts_smoking = forms.BooleanField(
        label=_("The student accepts a home where someone smokes"), required=False
    )
    languages = forms.CharField(
        label=_("Languages the student speaks"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, e.g. Serbian, English."),
    )


class DistanceForm(forms.Form):
    family = forms.ModelChoiceField(label=_("Host family"), queryset=Coordinator.objects.none())
    school = forms.ModelChoiceField(label=_("School"), queryset=Coordinator.objects.none())
    km = forms.DecimalField(
        label=_("Distance from the home to the school (km)"),
        min_value=0,
        max_value=999,
        max_digits=5,
        decimal_places=1,
    )

    def __init__(self, *args, member, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from twinning.exchanges.models import HostFamily, School

        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = HostFamily.objects.filter(member=member)  # type: ignore[attr-defined]
        self.fields["school"].queryset = School.objects.filter(member=member)  # type: ignore[attr-defined]


class OrientationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Orientation"), choices=())
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from twinning.exchanges.models import Orientation

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Orientation.Kind.choices  # type: ignore[attr-defined]
