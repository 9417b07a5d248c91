"""The awards ranking's rows, written in Python: `{% load awards_tables %}{% ranking_rows
rows nominations open category %}`. The page shows 100 nominations, each with its decision
form (a CSRF token, a select of the outcomes, two URLs); written by the template, one variable
and one option at a time, they were about three quarters of the page's time at 2,000
nominations (bench/awards.py). Here the URLs are reversed once, the token read and the labels
and the select's options made once, and each row is one `str.format` whose every value is
escaped as Django's `escape` does (`html.escape`, without the lazy-string wrapper that
`format_html` pays per value); scores are formatted as `floatformat:2` would."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from twinning.awards.forms import DecisionForm
from twinning.awards.models import Category
from twinning.core.rows import escape, score_formatter, url_around
from twinning.review.interface import RankedItem

register = template.Library()

ROW = (
    "<tr><td>{rank}{tie}</td>"
    '<td><a href="{url}">{title}</a> <code>{code}</code></td>'
    "<td>{member}, {community}</td>"
    "<td>{reviews}</td><td>{normalised}</td><td>{mean}</td>"
    "<td>{decision}{form}</td></tr>"
)
FORM = (
    '<form method="post" action="{action}" class="inline-form">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<label class="visually-hidden" for="outcome-{id}">{outcome_label} {code}</label>'
    '<select name="outcome" id="outcome-{id}">{options}</select>'
    '<button type="submit" class="button button--small">{decide_label}'
    '<span class="visually-hidden"> {code}</span></button>'
    "</form>"
)
OPTION = '<option value="{}"{}>{}</option>'


def _literal(value: Any) -> str:
    """An escaped value set into a template before `str.format` fills the rest."""
    return escape(value).replace("{", "{{").replace("}", "}}")


@register.simple_tag(takes_context=True)
def ranking_rows(
    context: Mapping[str, Any],
    rows: Sequence[RankedItem],
    nominations: Mapping[int, Mapping[str, Any]],
    open: bool,
    category: Category,
) -> SafeString:
    """The `<tr>` of each ranked nomination: rank (with "=" for a tie), title linked to the
    nomination and its code, committee and community, reviews, normalised and mean scores, the
    decision and, until the cycle is announced, the form to record one."""
    show_before, show_after = url_around("awards:nomination")
    decide_before, decide_after = url_around(
        "awards:staff_decide", key="item", year=category.cycle.year, slug=category.slug
    )
    outcomes = [(str(v), str(label)) for v, label in DecisionForm.base_fields["outcome"].choices]  # type: ignore[attr-defined]
    # The select for each decision a row can have (none, or one of the outcomes), made once.
    options = {
        chosen: "".join(
            OPTION.format(escape(v), " selected" if v == chosen else "", escape(label))
            for v, label in outcomes
        )
        for chosen in [None, *(v for v, _label in outcomes)]
    }
    labels = dict(outcomes)
    form = (
        FORM.replace("{csrf}", _literal(context.get("csrf_token", "")))
        .replace("{outcome_label}", _literal(_("Outcome")))
        .replace("{decide_label}", _literal(_("Decide")))
    )
    score = score_formatter(2)  # as `floatformat:2`
    written = []
    for r in rows:
        item, decision = r.item, r.decision
        nomination = nominations.get(int(item.object_id)) or {}
        chosen = decision.outcome if decision is not None else None
        code = escape(item.code)
        written.append(
            ROW.format(
                rank=escape(r.rank or "·"),
                tie=" =" if r.tie else "",
                url=escape(show_before + str(item.object_id) + show_after),
                title=escape(item.title),
                code=code,
                member=escape(nomination.get("member__name", "")),
                community=escape(nomination.get("community__name", "")),
                reviews=escape(r.reviews),
                normalised=escape(score(r.normalised) if r.normalised is not None else "·"),
                mean=escape(score(r.raw_mean) if r.raw_mean is not None else "·"),
                decision=f"<strong>{escape(labels.get(chosen, chosen))}</strong>"
                if chosen is not None
                else "",
                form=form.format(
                    action=escape(decide_before + str(item.pk) + decide_after),
                    id=item.pk,
                    code=code,
                    options=options.get(chosen, options[None]),
                )
                if open
                else "",
            )
        )
    # Every value above went through `escape`; the fragments around them are this module's.
    return mark_safe("".join(written))
