"""Forms of the outbox's staff pages: they declare fields and validate input only (C9)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.outbox.models import OutboxMessage
from twinning.outbox.registry import registered_templates


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
    """Which messages a bulk action is for: the ticked ones, or every one matching the list's
    filter (an e-mail template, a state). `upto` is the newest message the confirmation page
    counted, so messages queued after it are not swept in unseen."""

    ACTIONS = (("release", _("Send")), ("discard", _("Discard")))
    SCOPES = (
        ("selected", _("The messages ticked on this page")),
        ("filter", _("Every message matching the filter, on every page")),
    )

    action = forms.ChoiceField(choices=ACTIONS)
    scope = forms.ChoiceField(choices=SCOPES, required=False)
    messages = forms.ModelMultipleChoiceField(queryset=OutboxMessage.objects.all(), required=False)
    template = forms.ChoiceField(required=False)
    state = forms.ChoiceField(required=False)
    upto = forms.IntegerField(required=False, min_value=0)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", ""), *OutboxMessage.State.choices]
        self.fields["template"].choices = [
            ("", ""),
            *((spec.key, spec.key) for spec in registered_templates()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["scope"] = data.get("scope") or "selected"
        if data["scope"] == "selected" and not data.get("messages"):
            raise forms.ValidationError(_("Select at least one message."))
        return data

    def targets(self) -> Any:
        """The messages the action applies to (only those it can still apply to)."""
        data = self.cleaned_data
        states = (
            OutboxMessage.EDITABLE_STATES
            if data["action"] == "release"
            else OutboxMessage.DISCARDABLE_STATES
        )
        found = OutboxMessage.objects.filter(state__in=states)
        if data["scope"] == "selected":
            found = found.filter(pk__in=[m.pk for m in data["messages"]])
        else:
            if data.get("template"):
                found = found.filter(template=data["template"])
            if data.get("state"):
                found = found.filter(state=data["state"])
        if data.get("upto") is not None:
            found = found.filter(pk__lte=data["upto"])
        return found


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
