"""core.forms.QuickSelect writes the options Django's own Select writes, escaped, with the
chosen value selected; QuickSelectMultiple those of SelectMultiple, every chosen value
selected."""

import re

from django import forms
from django.http import QueryDict

from twinning.core.forms import QuickSelect, QuickSelectMultiple

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


def test_quick_select_multiple_writes_the_options_and_reads_the_values_django_does():
    chosen = ["a&b", "2"]
    quick = QuickSelectMultiple(choices=CHOICES)
    django = forms.SelectMultiple(choices=CHOICES)
    data = {"pick": ["a&b", "2"]}
    query = QueryDict("pick=a%26b&pick=2")

    assert _options(quick.render("pick", chosen)) == _options(django.render("pick", chosen))
    assert [selected for _, selected, _ in _options(quick.render("pick", chosen))] == [
        False,
        True,
        True,
    ]
    assert quick.render("pick", chosen, attrs={"id": "id_pick"}).startswith(
        '<select id="id_pick" name="pick" multiple>'
    )
    assert quick.value_from_datadict(query, {}, "pick") == ["a&b", "2"]
    assert quick.value_omitted_from_data(data, {}, "pick") is False
    assert quick.value_omitted_from_data({}, {}, "pick") is False  # as SelectMultiple says


def test_a_form_with_quick_select_multiple_cleans_the_values_chosen():
    class Form(forms.Form):
        pick = forms.MultipleChoiceField(choices=CHOICES[1:], widget=QuickSelectMultiple)

    form = Form(QueryDict("pick=2&pick=a%26b"))

    assert form.is_valid()
    assert form.cleaned_data["pick"] == ["2", "a&b"]
    assert 'value="2" selected' in str(form["pick"])
