"""The awards' forms: validation only (C9); the views hand cleaned data to the services."""

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from twinning.awards.models import Category, Nomination
from twinning.network.models import Community, Member, Partnership


class StartForm(forms.Form):
    """Start a committee's own nomination in a category."""

    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=_("Community"))
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("A short name for the program or person.")
    )
    nominee_name = forms.CharField(
        label=_("The person you nominate"), max_length=200, required=False
    )

    def __init__(self, *args: Any, member: Member, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["community"])
        field.queryset = member.communities.order_by("name")
        field.empty_label = None  # most committees have one community: chosen already
        if category.subject != Category.Subject.PERSON:
            del self.fields["nominee_name"]


class ThirdPartyForm(forms.Form):
    """Nominate a person of another committee (it confirms by e-mail)."""

    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    member = forms.ModelChoiceField(
        queryset=Member.objects.order_by("name"), label=_("The nominee's committee")
    )
    nominee_name = forms.CharField(label=_("The person you nominate"), max_length=200)
    nominator = forms.CharField(
        label=_("Who nominates"),
        max_length=200,
        help_text=_("Your committee, or your role (e.g. regional coordinator, Midwest)."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories


class NominationForm(forms.Form):
    """A draft's text: the story, one answer per question of the category, links, partner."""

    title = forms.CharField(label=_("Title"), max_length=200)
    nominee_name = forms.CharField(label=_("The person nominated"), max_length=200, required=False)
    story = forms.CharField(
        label=_("The story"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
        help_text=_("What happened, told for the judges and, if it wins, for the public."),
    )
    partner = forms.ModelChoiceField(
        queryset=Community.objects.none(), label=_("Partner city"), required=False
    )
    website = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    video = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, nomination: Nomination, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = nomination.category.question_list()
        for index, question in enumerate(self.questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=5_000,
            )
        if nomination.category.subject != Category.Subject.PERSON:
            del self.fields["nominee_name"]
        partner_ids = [
            p.partner_of(nomination.community).pk
            for p in Partnership.objects.current()
            .of_community(nomination.community)
            .select_related("community_a", "community_b")
        ]
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Community.objects.filter(
            pk__in=partner_ids
        ).order_by("name")

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"answer_{i}", "") for i, q in enumerate(self.questions)}


class AttachmentForm(forms.Form):
    upload = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("JPEG, PNG or WebP photos; PDF documents. 10 MB at most."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens_at = forms.DateTimeField(
        label=_("Nominations open at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Nominations close at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CycleSettingsForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Nominations open at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Nominations close at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    banquet: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Awards banquet"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from twinning.events.models import Event

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["banquet"]).queryset = Event.objects.filter(
            kind=Event.Kind.BANQUET
        ).order_by("-starts_at")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("winner", _("Winner")),
            ("honourable_mention", _("Honourable mention")),
            ("not_selected", _("Not selected")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class HonourFileForm(forms.Form):
    """The CSV of past years' winners, checked first (a dry run: nothing imported)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row, at most 1 MB and 2,000 rows."),
    )


class HonourImportForm(forms.Form):
    """Import the checked file: its text comes back from the preview (checked again)."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"hidden": True}), strip=False, max_length=1024 * 1024
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    skip_rejected = forms.BooleanField(
        label=_("Import the valid rows and leave out the rejected ones"),
        required=False,
        help_text=_("Otherwise nothing is imported while any row is rejected."),
    )


class CategoryForm(forms.ModelForm):
    """A category as staff configure it: its name, who is nominated, the population bracket,
    its questions, its rubric (criteria with weights) and whether judging is blind."""

    criteria = forms.CharField(
        label=_("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One criterion per line with its weight after a colon, e.g. “Impact: 2”; "
            "empty for the review engine's default rubric."
        ),
    )

    class Meta:
        model = Category
        fields = [
            "name",
            "slug",
            "description",
            "subject",
            "population_min",
            "population_max",
            "questions",
            "criteria",
            "blind",
            "order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The category's address; empty: made from its name.")
        if self.instance.pk:
            self.initial["criteria"] = "\n".join(
                f"{c.get('name', '')}: {c.get('weight', 1)}" for c in self.instance.criteria or []
            )

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"] or slugify(self.cleaned_data.get("name", ""))[:80]

    def clean_criteria(self) -> list[dict[str, Any]]:
        criteria: list[dict[str, Any]] = []
        lines = [line.strip() for line in self.cleaned_data["criteria"].splitlines()]
        for number, line in enumerate((line for line in lines if line), start=1):
            name, _colon, weight = line.rpartition(":")
            try:
                value = Decimal(weight.strip().replace(",", "."))
            except InvalidOperation:
                value = Decimal(0)
            if not name.strip() or not value.is_finite() or value <= 0:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: write a criterion and a weight above zero, "
                        "e.g. “Impact: 2”."
                    )
                    % {"number": number}
                )
            criteria.append({"name": name.strip()[:100], "weight": float(value)})
        return criteria
