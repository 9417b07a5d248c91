"""`{% panels "slot" name=object %}`: the panels programs registered for a slot of this page
(twinning/core/panels.py), each rendered with its own template."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from twinning.core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **objects: Any) -> SafeString:
    request = context.get("request")
    rendered = [
        (render_to_string(panel.template, panel.context, request=request),)
        for panel in panels_for(slot, **objects)
    ]
    return format_html_join("", "{}", rendered)
