"""Forms of the documents pages: they declare fields and validate input only (C9). A
document's form is built from its kind's fields (what the registry does not know)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import DateInput
from twinning.documents.compose import language_name
from twinning.documents.kinds import DocumentKind


def _form_field(field: Any) -> forms.Field:
    common = {"label": field.label, "required": field.required, "help_text": field.help_text}
    if field.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    if field.kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common)
    return forms.CharField(max_length=300, **common)


class DocumentForm(forms.Form):
    """The fields of one kind, and the language the document is written in first."""

    language = forms.ChoiceField(
        label=_("Language"),
        help_text=_(
            "The document's language; an agreement adds the partner's language beside it "
            "where a text exists in that language."
        ),
    )

    def __init__(self, *args: Any, kind: DocumentKind, languages: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(code, language_name(code)) for code in languages]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField
        for field in kind.fields:
            self.fields[field.name] = _form_field(field)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "language"}


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Placeholders are written {{ name }}; {% if name %}...{% endif %} and "
            "{% for x in list %}...{% endfor %} may be used. A blank line starts a paragraph."
        ),
    )


LANGUAGE_CODE_FIELD = forms.RegexField(
    regex=r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$",
    label=_("Language code"),
    help_text=_("Two letters (ISO 639-1), e.g. ja for Japanese, it for Italian."),
)


class NewLanguageForm(forms.Form):
    language = LANGUAGE_CODE_FIELD
