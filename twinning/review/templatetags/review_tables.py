"""The engine's ranking page rows, written in Python: `{% load review_tables %}{% ranking_rows
page round %}`. The page shows 100 items; written by the template one variable, one filter and
one `{% url %}` at a time they were most of the page's time at 2,000 applications
(bench/grants.py, "the call's ranking"). Here the item URL is reversed once, the number
formats read once, and each row is one `str.format` whose values are escaped as Django's
`escape` does; what each cell writes is what the template wrote (`default:"—"`, the
localized numbers, `floatformat:3`)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from twinning.core.rows import escape, number_formatter, score_formatter, url_around
from twinning.review.interface import RankedItem
from twinning.review.models import Round

register = template.Library()

ROW = (
    "<tr><td>{group}</td><td>{rank}{tie}</td>"
    '<td><a href="{url}"><code>{code}</code></a></td><td>{title}</td>'
    "<td>{reviews}</td><td>{raw}</td><td>{weighted}</td><td>{normalised}</td>"
    "<td>{decision}</td></tr>"
)
DASH = "—"


@register.simple_tag
def ranking_rows(rows: Iterable[RankedItem], round: Round) -> SafeString:
    """The `<tr>` of each ranked item: group, rank (with "(tie)"), code linked to the item's
    page, title, reviews, raw mean, weighted total, normalised score and decision; one row
    saying there are none when the page is empty."""
    before, after = url_around("review:item_manage", key="item_pk", pk=round.pk)
    number, score = number_formatter(), score_formatter(3)
    tie = f" <strong>{escape(_('(tie)'))}</strong>"
    out = [
        ROW.format(
            group=escape(row.group) if row.group else DASH,
            rank=number(row.rank) if row.rank else DASH,
            tie=tie if row.tie else "",
            url=escape(f"{before}{row.item.pk}{after}"),
            code=escape(row.item.code),
            title=escape(row.item.title),
            reviews=number(row.reviews),
            raw=escape(number(row.raw_mean)) if row.raw_mean else DASH,
            weighted=escape(number(row.weighted_total)) if row.weighted_total else DASH,
            normalised=DASH if row.normalised is None else escape(score(row.normalised)),
            decision=escape(row.decision.get_outcome_display()) if row.decision else "",
        )
        for row in rows
    ]
    if not out:
        out.append(f'<tr><td colspan="9">{escape(_("No items."))}</td></tr>')
    return mark_safe("".join(out))  # every value above is escaped
