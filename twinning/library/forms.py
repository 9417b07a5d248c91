"""Forms of the library: validate and clean only; views hand cleaned data to services."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from twinning.core.forms import QuickSelect, QuickSelectMultiple
from twinning.library.models import Resource


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    topic = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=QuickSelectMultiple)

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        """`topics`: the topics offered, as (slug, name) (search.topic_choices)."""
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *settings.LANGUAGES]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Any kind")), *Resource.Kind.choices]  # type: ignore[attr-defined]
        self.fields["topic"].choices = topics  # type: ignore[attr-defined]


class ResourceForm(forms.ModelForm):
    """A resource's details; the first version's file or address comes with it on creation."""

    upload = forms.FileField(
        label=_("File (PDF, DOCX or XLSX)"),
        required=False,
        help_text=_("For documents: up to 20 MB. Macros and embedded programs are refused."),
    )
    url = forms.URLField(
        label=_("Address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "For links and recordings: the page or the recording (for a webinar, the address "
            "of its recording)."
        ),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "language",
            "access",
            "topics",
            "partner",
            "source",
            "featured",
        ]
        widgets = {"topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["upload"]
            del self.fields["url"]
            del self.fields["kind"]


class VersionForm(forms.Form):
    change_note = forms.CharField(label=_("What changed"), max_length=500)
    upload = forms.FileField(label=_("File (PDF, DOCX or XLSX)"), required=False)
    url = forms.URLField(label=_("Address"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resource.is_file:
            del self.fields["url"]
        else:
            del self.fields["upload"]


class TopicForm(forms.Form):
    name = forms.CharField(label=_("New topic"), max_length=80)


class TranslationForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Resource.objects.none(),
        label=_("The same resource in another language"),
    )

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Resource.objects.exclude(pk=resource.pk)
            .exclude(language=resource.language)
            .order_by("title")
        )
