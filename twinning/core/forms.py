"""Form pieces every app shares: the one way a service's error reaches a form (C8) and the
browser's own date pickers. Each field renders through the one field template,
`components/field.html`; a select of many options can write its options itself
(`QuickSelect`)."""

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def add_service_error(form: forms.BaseForm, error: Any) -> None:
    """Attach a service's ValidationError to the form (C8): keyed messages go to the field of
    that name when the form has one, everything else to the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD), whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time, minutes)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class QuickSelect(forms.Select):
    """A select whose options are written here rather than through one template each. For the
    selects of hundreds of options on pages shown often: the committee filter of events' staff
    registration list (about two thirds of that page's time at 300 committees) and the
    language filter of /seeking/ (a quarter of the page, bench/events.py and
    bench/matchmaking.py)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {"name": name, **(attrs or {})})
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(  # escaped as django.utils.html.escape does, without its lazy checks
            f'<option value="{html.escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
            f"{html.escape(str(label))}</option>"
            for v, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """QuickSelect choosing any number of its options (SelectMultiple's reading of the data):
    the library's topic filter, on the page the public searches."""
