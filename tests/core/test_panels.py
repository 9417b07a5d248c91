"""Panels a program adds to a lower app's page (twinning/core/panels.py): a provider with
nothing to show adds nothing, and a failing one is skipped so the page still answers."""

import pytest
from django.template import Context, Template

from twinning.core import panels


@pytest.fixture
def slot():
    name = "tests.slot"
    yield name
    panels._PROVIDERS.pop(name, None)


def test_a_provider_with_nothing_to_show_adds_nothing(slot):
    panels.register_panel(slot, lambda **objects: None)
    assert panels.panels_for(slot) == []


def test_a_failing_provider_is_skipped_and_the_others_still_show(slot, caplog):
    def broken(**objects):
        raise RuntimeError

    panels.register_panel(slot, broken)
    panels.register_panel(slot, lambda **objects: panels.Panel("components/empty.html", objects))
    assert [p.context for p in panels.panels_for(slot, title="Shown")] == [{"title": "Shown"}]
    assert "failed" in caplog.text


def test_registering_twice_keeps_one(slot):
    def provider(**objects):
        return panels.Panel("components/empty.html", {"title": "Once"})

    panels.register_panel(slot, provider)
    panels.register_panel(slot, provider)
    html = Template('{% load panels %}{% panels "tests.slot" %}').render(Context({}))
    assert html.count("Once") == 1
