"""Forms of the review pages: they declare fields and validate input only (C9); the views
hand `cleaned_data` to the services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from twinning.review.models import Decision, Reviewer, ReviewItem, Round


class ScoreForm(forms.Form):
    """One number per criterion of the round, the two comments and the version the form was
    built from (the optimistic check)."""

    comment_to_entrant = forms.CharField(
        label=_("Comment to the entrant"), required=False, widget=forms.Textarea, max_length=3000
    )
    comment_to_staff = forms.CharField(
        label=_("Comment to the organisers (not shown to the entrant)"),
        required=False,
        widget=forms.Textarea,
        max_length=3000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, criteria: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        own = {f"criterion_{c.pk}": self._field(c) for c in criteria}
        self.fields = {**own, **self.fields}

    @staticmethod
    def _field(criterion: Any) -> forms.DecimalField:
        return forms.DecimalField(
            label=criterion.name,
            help_text=criterion.help_text
            or _("From %(low)s to %(high)s.")
            % {"low": criterion.min_score, "high": criterion.max_score},
            required=False,
            min_value=criterion.min_score,
            max_value=criterion.max_score,
            decimal_places=2,
            max_digits=6,
            widget=forms.NumberInput(
                attrs={"step": "0.5", "min": criterion.min_score, "max": criterion.max_score}
            ),
        )

    def scores(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class UserByEmailField(forms.EmailField):
    def clean(self, value: Any) -> Any:
        email = super().clean(value)
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address: send an invitation instead.")
            )
        return user


class ReviewerAddForm(forms.Form):
    user = UserByEmailField(label=_("E-mail of an existing account"))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail to invite"))


class RoundStateForm(forms.Form):
    """Lists only the states the round may move to from where it is (ROUND_TRANSITIONS); any
    state is accepted, so a move made stale by another manager reaches the service, whose
    refusal says why."""

    state = forms.ChoiceField(label=_("Next state"), choices=Round.State.choices)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = round.next_states()
        self.fields["state"].widget.choices = [
            (value, label) for value, label in Round.State.choices if value in allowed
        ]


class ReassignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("New reviewer"), queryset=Reviewer.objects.none())

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (  # type: ignore[attr-defined]
            round.reviewers.active().select_related("user")
        )


class ConflictForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Reviewer.objects.none())
    code = forms.CharField(label=_("Item code"), max_length=20, required=False)
    key = forms.RegexField(
        label=_("Or a conflict key"),
        regex=r"^(community|member|user):\d{1,12}$",
        required=False,
        help_text=_("For example community:12."),
        error_messages={"invalid": _("Write a key like community:12 or member:3.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["reviewer"].queryset = round.reviewers.select_related("user")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, key = data.get("code", "").strip().upper(), data.get("key", "")
        if bool(code) == bool(key):
            raise forms.ValidationError(_("Give either an item code or a conflict key."))
        data["item"] = None
        if code:
            data["item"] = ReviewItem.objects.filter(round=self.round, code=code).first()
            if data["item"] is None:
                self.add_error("code", _("No item of this round has this code."))
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    place = forms.IntegerField(label=_("Place"), required=False, min_value=1, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class AdvanceForm(forms.Form):
    n = forms.IntegerField(label=_("Items per group"), min_value=1, max_value=1000)


class ForwardForm(forms.Form):
    codes = forms.CharField(
        label=_("Item codes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more codes, separated by spaces or new lines."),
        max_length=5000,
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_codes(self) -> list[ReviewItem]:
        codes = {c.strip().upper() for c in self.cleaned_data["codes"].split() if c.strip()}
        items = list(ReviewItem.objects.filter(round=self.round, code__in=codes))
        unknown = codes - {i.code for i in items}
        if unknown:
            raise forms.ValidationError(
                _("Not in this round: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
        return items
