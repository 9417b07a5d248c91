"""Choosing a community by typing its name: the form field and the suggestions behind it,
for every app whose form names a community (the registry, membership, the showcase)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.network.models import Community
from twinning.network.text import fold

# Community choosers offer this many matches at most (the JSON endpoint and the datalist).
CHOOSER_LIMIT = 20


def community_choices(query: str, *, limit: int = CHOOSER_LIMIT) -> list[dict[str, str]]:
    """Communities whose name starts with `query`, as {value, label} pairs for a chooser.
    The value is the community's slug, which `CommunityField` accepts."""
    if len(fold(query)) < 2:
        return []
    found = Community.objects.search(query).select_related("country").order_by("name")[:limit]
    return [{"value": c.slug, "label": community_label(c)} for c in found]


def community_label(community: Community) -> str:
    place = ", ".join(p for p in (community.region, community.country.name) if p)
    return f"{community.name} ({place})"


class CommunityField(forms.CharField):
    """A community chosen by typing: its slug (what the chooser's suggestions fill in) or a
    name that matches exactly one community. Ambiguous or unknown names are refused with a
    message saying what to do."""

    default_error_messages = {
        "unknown": _("No community is called “%(value)s”. Pick one from the suggestions."),
        "ambiguous": _(
            "Several communities are called “%(value)s”: pick the right one from the "
            "suggestions (it fills in an identifier such as %(example)s)."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 220)
        kwargs.setdefault(
            "help_text",
            _("Type at least two letters of the name and pick the community from the list."),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "data-community-chooser": ""})
        return attrs

    def clean(self, value: Any) -> Community | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        by_slug = Community.objects.filter(slug=text).select_related("country").first()
        if by_slug is not None:
            return by_slug
        matches = list(
            Community.objects.filter(search_name=fold(text)).select_related("country")[:2]
        )
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": text, "example": matches[0].slug},
            )
        return matches[0]
