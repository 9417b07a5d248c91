"""Form pieces every app shares: the one way a service's error reaches a form (C8) and the
browser's own date pickers. Each field renders through the one field template,
`components/field.html`."""

from typing import Any

from django import forms


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
