"""The staff funding table's rows, written in Python: `{% load grants_tables %}{% funding_rows
page_obj.object_list published %}`. The table shows 50 rows, each with its decision form (six
fields, a CSRF token, two URLs); resolving them one template variable, one `{% url %}` and one
`{% csrf_token %}` at a time was about 40% of the page's time at 2,000 applications
(bench/grants.py). Here the URLs are reversed once, the token read once, the labels translated
once, and each row is one `format_html` (every value escaped). Numbers are localised as the
template would (`localize`), the amount field's value is not (as `|unlocalize`)."""

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from twinning.core.rows import fill_once, number_formatter, url_around
from twinning.grants.queries import Project
from twinning.grants.services.decisions import FundingRow

register = template.Library()

CELLS = (
    "<tr><td>{rank}</td>"
    '<td><a href="{detail}">{title}</a></td>'
    "<td>{requested}</td><td>{total}</td>"
    "<td>{proposal}</td>"
    "<td>{decision}{form}</td></tr>"
)
FUNDED = '<span class="badge badge--ok">{}</span>'
OUT = '<span class="badge badge--warn">{out}</span> {reason}'
DECISION = "{} {} {}"
FORM = (
    '<form method="post" action="{action}" class="form form--compact">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<label for="funded-{id}">{decision_label}</label>'
    '<select name="funded" id="funded-{id}"><option value="yes">{fund_option}</option>'
    '<option value="no"{no_selected}>{no_option}</option></select>'
    '<label for="amount-{id}">{amount_label}</label>'
    '<input type="number" name="amount" id="amount-{id}" step="0.01" min="0" value="{amount}">'
    '<label for="reason-{id}">{reason_label}</label>'
    '<input type="text" name="reason" id="reason-{id}" value="{reason}">'
    '<button type="submit" class="button button--secondary">{record_label}</button>'
    "</form>"
)


@register.simple_tag(takes_context=True)
def funding_rows(
    context: dict[str, Any], rows: Sequence[FundingRow], published: bool
) -> SafeString:
    """The `<tr>` of each row (rank, application, asks, running total, proposal, decision and,
    until the decisions are published, the form to record one)."""
    detail_before, detail_after = url_around("grants:application_detail")
    decide_before, decide_after = url_around("grants:staff_decide")
    csrf = str(context.get("csrf_token", ""))
    labels = {
        "decision_label": _("Decision"),
        "fund_option": _("Fund"),
        "no_option": _("Do not fund"),
        "amount_label": _("Amount"),
        "reason_label": _("Reason"),
        "record_label": _("Record"),
    }
    form_template = fill_once(FORM, csrf=csrf, **labels)  # the row fills its own fields
    funded_badge = format_html(FUNDED, _("fund"))
    out_template = fill_once(OUT, out=_("falls out"))
    number = number_formatter()
    written = []
    for row in rows:
        application, placed, id = row.application, row.placed, str(row.application_id)
        if application is None:  # the page's rows come with their applications
            continue
        if placed.funded:
            proposal = funded_badge
        else:
            proposal = format_html(out_template, reason=placed.reason)
        decision = (
            format_html(
                DECISION,
                application.decision,
                number(application.awarded_amount) if application.awarded_amount else "",
                application.decision_reason,
            )
            if application.decision
            else ""
        )
        form = (
            ""
            if published
            else format_html(
                form_template,
                action=decide_before + id + decide_after,
                id=id,
                no_selected="" if placed.funded else mark_safe(" selected"),
                amount=str(row.requested),
                reason=placed.reason,
            )
        )
        written.append(
            format_html(
                CELLS,
                rank=number(row.rank) if row.rank else "-",
                detail=detail_before + id + detail_after,
                title=application.title,
                requested=number(row.requested),
                total=number(placed.running_total),
                proposal=proposal,
                decision=decision,
                form=form,
            )
        )
    return mark_safe("".join(written))  # each row is format_html's, every value escaped


PROJECT = (
    '<tr><td><a href="{url}">{title}</a></td><td>{program}</td><td>{year}</td>'
    "<td>{countries}</td><td>{committed}</td><td>{paid}</td><td>{participants}</td></tr>"
)


@register.simple_tag
def portfolio_rows(projects: Sequence[Project]) -> SafeString:
    """The `<tr>` of each project of the staff portfolio's page (title linked to the grant,
    program, year, countries, committed, paid, participants), as the template wrote them: the
    URL reversed once, the number format read once, each row one `format_html`."""
    before, after = url_around("grants:grant_detail")
    number = number_formatter()
    return mark_safe(  # each row is format_html's, every value escaped
        "".join(
            format_html(
                PROJECT,
                url=before + str(p.grant_id) + after,
                title=p.title,
                program=p.program,
                year=number(p.year),
                countries=p.countries,
                committed=number(p.committed),
                paid=number(p.paid),
                participants=number(p.participants),
            )
            for p in projects
        )
    )
