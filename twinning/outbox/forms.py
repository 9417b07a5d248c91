"""Forms of the outbox's staff pages: they declare fields and validate input only (C9)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.outbox.models import OutboxMessage
from twinning.outbox.registry import registered_templates


def add_service_error(form: forms.Form, error: Any) -> None:
    """Attach a service's ValidationError to the form (C8): keyed messages to their field when
    the form has one, everything else to the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class MessageFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    template = forms.ChoiceField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state")), *OutboxMessage.State.choices]
        self.fields["template"].choices = [
            ("", _("Any e-mail")),
            *((spec.key, spec.key) for spec in registered_templates()),
        ]


class MessageEditForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 16}))


class BulkActionForm(forms.Form):
    ACTIONS = (("release", _("Send")), ("discard", _("Discard")))

    action = forms.ChoiceField(choices=ACTIONS)
    messages = forms.ModelMultipleChoiceField(
        queryset=OutboxMessage.objects.all(),
        error_messages={"required": _("Select at least one message.")},
    )


class TemplateOverrideForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Placeholders are written {{ name }}; {% if name %}...{% endif %} and "
            "{% for x in list %}...{% endfor %} may be used."
        ),
    )
