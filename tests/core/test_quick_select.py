"""core.forms.QuickSelect writes the options Django's own Select writes, escaped, with the
chosen value selected."""

import re

from django import forms

from twinning.core.forms import QuickSelect

CHOICES = [("", "Any"), ("a&b", 'Tom "&" <Jerry>'), ("2", "Zoë")]


def _options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', html)
    return [(value, "selected" in rest, label) for value, rest, label in found]


def test_quick_select_writes_the_options_django_writes():
    quick = QuickSelect(choices=CHOICES).render("pick", "a&b", attrs={"id": "id_pick"})
    django = forms.Select(choices=CHOICES).render("pick", "a&b", attrs={"id": "id_pick"})

    assert _options(quick) == _options(django)
    assert _options(quick)[1] == ("a&amp;b", True, "Tom &quot;&amp;&quot; &lt;Jerry&gt;")
    assert quick.startswith('<select id="id_pick" name="pick">')


def test_quick_select_selects_nothing_for_an_unknown_value():
    html = QuickSelect(choices=CHOICES).render("pick", "<script>")

    assert "selected" not in html
    assert "<script>" not in html
