"""Registration's forms: they validate and clean; the services write (C9). Questions become
fields named `q_<pk>`, so a service's error keyed the same way lands on its field."""

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput, DateTimeInput, QuickSelect
from twinning.events.models import Attendee, Question, Ticket
from twinning.events.services.waitlist import MAX_PARTY
from twinning.network.models import Country


def set_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def question_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    if question.kind == Question.Kind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in question.choices]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind in (Question.Kind.BOOLEAN, Question.Kind.CONSENT):
        return forms.BooleanField(**common)
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **common)


def add_questions(form: forms.Form, questions: list[Question], note: dict[int, str]) -> None:
    for question in questions:
        field = question_field(question)
        if question.pk in note:
            field.help_text = f"{field.help_text} {note[question.pk]}".strip()
            field.required = False  # asked of one ticket only: the service checks it
        form.fields[f"q_{question.pk}"] = field


def answers_from(form: forms.Form, questions: list[Question]) -> dict[int, Any]:
    return {q.pk: form.cleaned_data.get(f"q_{q.pk}") for q in questions}


class TicketChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Ticket) -> str:
        return f"{obj.name} — {obj.price} "


class TicketNameField(forms.ModelChoiceField):
    """The ticket's own name (the page lists each one's price for the committee above)."""

    def label_from_instance(self, obj: Ticket) -> str:
        return obj.name


class RegisterForm(forms.Form):
    ticket = TicketChoiceField(
        label=_("Ticket"),
        queryset=Ticket.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    member = forms.ModelChoiceField(
        label=_("Committee (for the member price)"),
        queryset=Ticket.objects.none(),
        required=False,
        help_text=_("The member price is for people of a member committee in good standing."),
    )

    def __init__(
        self,
        *args: Any,
        tickets: Any,
        members: Any,
        order_questions: list[Question],
        attendee_questions: list[Question],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ticket", tickets)
        set_choices(self, "member", members)
        if not members.exists():
            del self.fields["member"]
        only = {
            q.pk: str(
                _("(Only for the ticket “%(t)s”.)") % {"t": q.ticket.name if q.ticket else ""}
            )
            for q in attendee_questions
            if q.ticket_id
        }
        add_questions(self, attendee_questions, only)
        add_questions(self, order_questions, {})


class WaitingListForm(forms.Form):
    party_size = forms.IntegerField(
        label=_("How many people?"), min_value=1, max_value=MAX_PARTY, initial=1
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail for the offer"))


class RenameForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)


class DelegatePersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail (their details link goes there)"))
    ticket = TicketNameField(label=_("Ticket"), queryset=Ticket.objects.none())

    def __init__(self, *args: Any, tickets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tickets is not None:
            set_choices(self, "ticket", tickets)


MAX_DELEGATES = 50


def delegate_formset(blocks: int = 3) -> type[forms.BaseFormSet]:
    """The delegation's people as blocks (one person each, up to MAX_DELEGATES on one
    order): `blocks` empty ones to start with; a posted form keeps the number it was sent."""
    blocks = max(1, min(blocks, MAX_DELEGATES))
    return forms.formset_factory(
        DelegatePersonForm,
        extra=blocks - 1,
        max_num=MAX_DELEGATES,
        validate_max=True,
        min_num=1,
        validate_min=True,
    )


class DetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Attendee.Gender.choices, required=False)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_questions(self, questions, {})


class OfferForm(forms.Form):
    def __init__(self, *args: Any, party_size: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, party_size + 1):
            self.fields[f"first_{i}"] = forms.CharField(
                label=_("First name, person %(n)s") % {"n": i}, max_length=100
            )
            self.fields[f"last_{i}"] = forms.CharField(
                label=_("Last name, person %(n)s") % {"n": i}, max_length=100
            )

    def people(self) -> list[tuple[str, str]]:
        count = len(self.fields) // 2
        return [
            (self.cleaned_data[f"first_{i}"], self.cleaned_data[f"last_{i}"])
            for i in range(1, count + 1)
        ]


# --- Staff -----------------------------------------------------------------------------------


class TicketForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = [
            "name",
            "description",
            "price",
            "member_price",
            "early_bird_price",
            "early_bird_until",
            "quota",
            "for_youth",
            "available_from",
            "available_until",
            "position",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "early_bird_until": DateTimeInput(),
            "available_from": DateTimeInput(),
            "available_until": DateTimeInput(),
        }


class ChoicesField(forms.CharField):
    """The answers to choose from, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip()[:200] for line in text.splitlines() if line.strip()][:50]


class QuestionForm(forms.ModelForm):
    choices = ChoicesField(label=_("Answers to choose from (one per line)"), required=False)

    class Meta:
        model = Question
        fields = [
            "scope",
            "ticket",
            "kind",
            "label",
            "help_text",
            "choices",
            "required",
            "position",
        ]

    def __init__(self, *args: Any, tickets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ticket", tickets)
        self.fields["ticket"].required = False
        self.fields["ticket"].help_text = _("Only for an attendee question: leave empty for all.")


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity (seats)"), min_value=0, max_value=1_000_000, required=False
    )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the person"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RowChoices(BaseChoiceIterator):
    """A select's choices read as (value, label) rows when the select is rendered: an empty
    choice, then `rows` (a values_list query), without making a model instance per option.
    A choice iterator, so Django keeps it lazy instead of normalising every row first."""

    def __init__(self, empty_label: Any, rows: Any) -> None:
        self.empty_label, self.rows = empty_label, rows

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        yield "", self.empty_label
        yield from self.rows


class RegistrationFilterForm(forms.Form):
    """The staff registration list's filters. Every select is a QuickSelect and the committees
    are read as (pk, name) rows: the form is rendered on each page of the list."""

    q = forms.CharField(label=_("Search (name, e-mail, order)"), max_length=100, required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any")), *Attendee.State.choices],
        required=False,
        widget=QuickSelect,
    )
    ticket = forms.ModelChoiceField(
        label=_("Ticket"),
        queryset=Ticket.objects.none(),
        required=False,
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Ticket.objects.none(),
        required=False,
        empty_label=_("Any"),
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, tickets: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ticket", tickets)
        set_choices(self, "committee", committees)
        committee = cast(forms.ModelChoiceField, self.fields["committee"])
        committee.widget.choices = RowChoices(  # type: ignore[attr-defined]
            committee.empty_label, committees.values_list("pk", "name")
        )
