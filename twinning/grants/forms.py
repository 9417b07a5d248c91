"""Forms of funding programs: validate and clean only; views hand cleaned data to services."""

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateTimeInput
from twinning.grants.models import Call, Program
from twinning.network.models import Community, Country, Member, Region


class StartForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Your committee"))
    community = forms.ModelChoiceField(
        queryset=Community.objects.none(), label=_("Your community (the lead)")
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Community.objects.none(),
        label=_("Partner communities"),
        help_text=_("Your sister cities; for a trio, choose two."),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args: Any, user: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from twinning.network.models import Partnership

        members = Member.objects.administered_by(user)
        fields = self.fields
        cast(forms.ModelChoiceField, fields["member"]).queryset = members
        own = Community.objects.filter(members__in=members).distinct()
        cast(forms.ModelChoiceField, fields["community"]).queryset = own
        ids = list(own.values_list("pk", flat=True))
        pairs = Partnership.objects.current().filter(
            Q(community_a__in=ids) | Q(community_b__in=ids)
        )
        partner_ids = {
            pk for pair in pairs.values_list("community_a", "community_b") for pk in pair
        }
        partners = cast(forms.ModelMultipleChoiceField, fields["partners"])
        partners.queryset = (
            Community.objects.filter(pk__in=partner_ids - set(ids))
            .select_related("country")
            .order_by("name")
        )


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(call.questions)
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "-")] + [
            (t, t) for t in call.program.themes
        ]
        for index, question in enumerate(self.questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question, widget=forms.Textarea, required=False
            )

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}


def parse_lines(text: str) -> list[dict[str, Any]]:
    """Budget lines typed one a line: "description | cost | requested" (requested defaults
    to the cost)."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        if len(parts) not in (2, 3) or not parts[0]:
            raise forms.ValidationError(
                _("Line %(n)s: write “description | cost | requested”.") % {"n": number}
            )
        try:
            cost = Decimal(parts[1].replace(",", ""))
            requested = Decimal(parts[2].replace(",", "")) if len(parts) == 3 else cost
        except InvalidOperation:
            raise forms.ValidationError(
                _("Line %(n)s: the amounts must be numbers.") % {"n": number}
            ) from None
        if cost < 0 or requested < 0 or requested > cost or not cost.is_finite():
            raise forms.ValidationError(
                _("Line %(n)s: amounts are positive and the request at most the cost.")
                % {"n": number}
            )
        lines.append({"description": parts[0][:200], "cost": cost, "requested": requested})
    return lines


class SideForm(forms.Form):
    currency = forms.CharField(label=_("Currency of your budget"), max_length=3)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100_000)
    participant_plan = forms.CharField(
        label=_("Participant plan"), widget=forms.Textarea, required=False
    )
    lines = forms.CharField(
        label=_("Budget lines"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One a line: description | cost | requested from the grant."),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def clean_lines(self) -> list[dict[str, Any]]:
        return parse_lines(self.cleaned_data.get("lines", ""))


class TokenSignForm(forms.Form):
    signer_name = forms.CharField(label=_("Your name"), max_length=150)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DecideForm(forms.Form):
    funded = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Fund")), ("no", _("Do not fund"))],
        coerce=lambda value: value == "yes",
    )
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)


class ReportForm(forms.Form):
    narrative = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100_000)
    outcomes = forms.CharField(label=_("Outcomes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=_("Spent on “%(line)s” (budget %(cost)s)")
                % {"line": line.description, "cost": line.cost},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
            )

    def spending(self) -> dict[int, Decimal]:
        return {
            line.pk: self.cleaned_data[f"line_{line.pk}"]
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}") is not None
        }


class ReceiptForm(forms.Form):
    file = forms.FileField(label=_("Receipt (PDF)"))


class ReviewReportForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea, required=False)


class CalculatorForm(forms.Form):
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=100_000)
    countries = forms.IntegerField(label=_("Countries"), min_value=2, max_value=3)


class PortfolioFilterForm(forms.Form):
    program = forms.SlugField(required=False, label=_("Program"))
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200, label=_("Year"))
    theme = forms.CharField(required=False, max_length=100, label=_("Theme"))
    countries = forms.CharField(required=False, max_length=20, label=_("Countries (e.g. CA-MX-US)"))


# --- Staff: programs and calls ------------------------------------------------------------


def _country_choices() -> list[tuple[str, str]]:
    return list(Country.objects.order_by("name").values_list("code", "name"))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProgramForm(forms.ModelForm):
    """A funding program as staff set it up: who pays, the budget, themes, the shape and who
    may apply. Lists are chosen from the registry's countries and regions."""

    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. water, sanitation and health; youth."),
    )
    required_countries = forms.MultipleChoiceField(
        label=_("Countries that must take part"),
        required=False,
        choices=_country_choices,
        help_text=_(
            "For a trio, one community from each, e.g. US, CA, MX. Hold Ctrl to choose several."
        ),
    )
    eligible_countries = forms.MultipleChoiceField(
        label=_("Eligible countries"),
        required=False,
        choices=_country_choices,
        help_text=_("Empty: any country."),
    )
    eligible_regions = forms.MultipleChoiceField(
        label=_("Eligible regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: any region."),
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "slug",
            "funder",
            "description",
            "budget",
            "currency",
            "themes",
            "shape",
            "required_countries",
            "eligible_countries",
            "eligible_regions",
            "require_recognised_partnership",
            "require_good_standing",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The program's address; empty: made from its name.")
        if self.instance.pk:
            self.initial["themes"] = "; ".join(self.instance.themes)

    def clean_themes(self) -> list[str]:
        text = self.cleaned_data["themes"]
        parts = [part.strip() for part in text.replace(";", ",").split(",")]
        return [part for part in parts if part]

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"] or slugify(self.cleaned_data.get("name", ""))[:120]


class CallForm(forms.ModelForm):
    """A call of a program: dates, the ceiling, co-financing, the questions, the report
    schedule, the exchange rates staff fix (no network at run time) and the optional
    lump-sum table."""

    questions = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line; applicants answer each."),
    )
    rates = forms.CharField(
        label=_("Exchange rates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One currency per line with what one unit is worth in the program's currency, "
            "e.g. “CAD 0.73”."
        ),
    )
    lump_sums = forms.CharField(
        label=_("Lump sums"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. One row per line: countries, participants up to, amount, e.g. “2 25 12000”."
        ),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "opens_at",
            "closes_at",
            "max_per_application",
            "cofinancing_percent",
            "questions",
            "interim_report_months",
            "final_report_months",
        ]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The call's address; empty: made from its title.")
        call = self.instance
        if call.pk:
            self.initial["questions"] = "\n".join(call.questions)
            self.initial["rates"] = "\n".join(
                f"{rate.currency} {rate.rate.normalize():f}"
                for rate in call.rates.order_by("currency")
            )
            self.initial["lump_sums"] = "\n".join(
                f"{row.countries} {row.participants} {row.amount}"
                for row in call.lump_sums.order_by("countries", "participants")
            )

    def clean_questions(self) -> list[str]:
        return _lines(self.cleaned_data["questions"])

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"] or slugify(self.cleaned_data.get("title", ""))[:120]

    def clean_rates(self) -> dict[str, Decimal]:
        rates: dict[str, Decimal] = {}
        for number, line in enumerate(_lines(self.cleaned_data["rates"]), start=1):
            parts = line.split()
            try:
                currency, rate = parts[0].upper(), Decimal(parts[1].replace(",", "."))
            except (IndexError, InvalidOperation):
                currency, rate = "", Decimal(0)
            if len(parts) != 2 or len(currency) != 3 or not currency.isalpha() or rate <= 0:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: write a currency code and a rate above zero, "
                        "e.g. “CAD 0.73”."
                    )
                    % {"number": number}
                )
            if currency in rates:
                raise forms.ValidationError(
                    _("Line %(number)s: %(currency)s is given twice.")
                    % {"number": number, "currency": currency}
                )
            rates[currency] = rate
        return rates

    def clean_lump_sums(self) -> list[tuple[int, int, Decimal]]:
        rows: list[tuple[int, int, Decimal]] = []
        for number, line in enumerate(_lines(self.cleaned_data["lump_sums"]), start=1):
            parts = line.split()
            try:
                countries, participants = int(parts[0]), int(parts[1])
                amount = Decimal(parts[2].replace(",", "."))
            except (IndexError, ValueError, InvalidOperation):
                countries, participants, amount = 0, 0, Decimal(-1)
            if len(parts) != 3 or countries not in (2, 3) or participants < 1 or amount < 0:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: write countries (2 or 3), participants up to and an "
                        "amount, e.g. “2 25 12000”."
                    )
                    % {"number": number}
                )
            if any(row[:2] == (countries, participants) for row in rows):
                raise forms.ValidationError(
                    _("Line %(number)s: this row of countries and participants is given twice.")
                    % {"number": number}
                )
            rows.append((countries, participants, amount))
        return rows
