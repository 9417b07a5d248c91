"""The exchange's long tables, their rows written in Python (`{% load exchanges_tables %}`):
the placements (`placement_rows`), the monitoring dashboard (`contact_rows`) and the compliance
page (`compliance_sections`). Each shows 50 placements a page; written by the template, one
variable, one `{% url %}`, one `{% translate %}` and one `{% include %}` at a time, their rows
were most of the page's time at 2,000 students (bench/exchanges.py). Here each URL is reversed
once (`core.rows.url_around`), each label translated and each date format read once for the
page, and each row is one `str.format` whose every value is escaped as Django's `escape` does
(`html.escape`, quotes too). The markup is the templates' it replaces, badges with their icon
and words (`exchanges/monitoring/_state.html` for a single state)."""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from twinning.core.rows import escape, url_around

register = template.Library()


def day_formatter(name: str) -> Callable[[datetime.date], str]:
    """`date_format(day, name)` with the active language's format read once, each distinct day
    formatted once (a page's placements mostly share a few start dates)."""
    fmt = get_format(name)
    done: dict[datetime.date, str] = {}

    def day(value: datetime.date) -> str:
        if value not in done:
            done[value] = dateformat.format(value, fmt)
        return done[value]

    return day


# --- The placements (exchanges/placement/_table.html) ---------------------------------------

PLACEMENT_ROW = (
    '<tr><td><a href="{student_url}">{first_name} {last_name}</a></td><td>{season}</td>'
    "{committee}<td>{family}</td><td>{school}</td><td>{coordinator}</td><td>{since}</td>"
    '<td><span class="badge">{status}</span></td><td>{pre} {post}</td></tr>'
)
COMMITTEE_CELL = '<td><a href="{url}">{name}</a></td>'
BADGE = '<span class="badge badge--{kind}">{words}</span>'


@register.simple_tag
def placement_rows(rows: Iterable[Mapping[str, Any]], committees: bool = False) -> SafeString:
    """The `<tr>` of each `services.placement.with_orientations` row: the student linked to
    their page, the season, (`committees`: the hosting committee linked to its placements), the
    family, school and coordinator, the start, the status and the two orientations, held or
    not yet, in words."""
    student_before, student_after = url_around("exchanges:student_detail")
    committee_before, committee_after = url_around("exchanges:placement_list", key="slug")
    since = day_formatter("SHORT_DATE_FORMAT")
    pre = {
        True: BADGE.format(kind="ok", words=escape(_("before arrival"))),
        False: BADGE.format(kind="warn", words=escape(_("before arrival: not yet"))),
    }
    post = {
        True: BADGE.format(kind="ok", words=escape(_("after arrival"))),
        False: BADGE.format(kind="warn", words=escape(_("after arrival: not yet"))),
    }
    written = []
    for p in rows:
        held = p["orientations"]
        committee = (
            COMMITTEE_CELL.format(
                url=escape(committee_before + str(p["committee_slug"]) + committee_after),
                name=escape(p["committee_name"]),
            )
            if committees
            else ""
        )
        written.append(
            PLACEMENT_ROW.format(
                student_url=escape(student_before + str(p["student_pk"]) + student_after),
                first_name=escape(p["first_name"]),
                last_name=escape(p["last_name"]),
                season=escape(p["season_name"]),
                committee=committee,
                family=escape(p["family_name"]),
                school=escape(p["school_name"]),
                coordinator=escape(p["coordinator_name"]),
                since=escape(since(p["starts_on"])),
                status=escape(p["status_label"]),
                pre=pre[bool(held.get("pre_arrival"))],
                post=post[bool(held.get("post_arrival"))],
            )
        )
    # Every value above went through `escape`; the fragments around them are this module's.
    return mark_safe("".join(written))


# --- The monitoring dashboard (exchanges/monitoring/dashboard.html) -------------------------

# A state not by colour alone: an icon and the words (as exchanges/monitoring/_state.html).
STATE = '<span class="badge badge--{kind}"><span aria-hidden="true">{icon} </span>{label}</span>'
STATES = {"red": ("danger", "✖"), "amber": ("warn", "▲"), "green": ("ok", "✔")}
CONTACT_ROW = (
    '<tr><td><a href="{url}">{name}</a></td>{committee}<td>{family}</td><td>{coordinator}</td>'
    "<td>{state}</td><td>{reasons}</td></tr>"
)


def state_badge(colour: str, label: str) -> str:
    kind, icon = STATES.get(colour, STATES["green"])
    return STATE.format(kind=kind, icon=icon, label=escape(label))


@register.simple_tag
def contact_rows(rows: Sequence[tuple[Mapping[str, Any], Any]], member: Any) -> SafeString:
    """The `<tr>` of each `services.monitoring.dashboard_rows` row: the student linked to the
    placement's contacts, (staff's, without a `member`: the hosting committee), the family, the
    coordinator,
    the state in words with its icon, and its reasons, one a line."""
    before, after = url_around("exchanges:placement_contacts")
    committees = not member
    badges: dict[tuple[str, str], str] = {}
    written = []
    for row, state in rows:
        key = (state.colour, state.label)
        if key not in badges:
            badges[key] = state_badge(*key)
        written.append(
            CONTACT_ROW.format(
                url=escape(before + str(row["pk"]) + after),
                name=escape(row["name"]),
                committee=f"<td>{escape(row['committee'])}</td>" if committees else "",
                family=escape(row["family_name"]),
                coordinator=escape(row["coordinator_name"]),
                state=badges[key],
                reasons="<br>".join(escape(reason) for reason in state.reasons),
            )
        )
    # Every value above went through `escape`; the fragments around them are this module's.
    return mark_safe("".join(written))


# --- The compliance page (exchanges/monitoring/compliance.html) -----------------------------

SECTION = (
    '<section class="card"><h2><a href="{url}">{name}</a></h2><p>{summary}</p>'
    '<div class="table-wrap" tabindex="0" role="region" aria-label="{region}">'
    '<table class="table"><thead><tr><th scope="col">{rule}</th><th scope="col">{outcome}</th>'
    '<th scope="col">{reason}</th></tr></thead><tbody>{checks}</tbody></table></div></section>'
)
CHECK_ROW = '<tr><th scope="row">{label}</th><td>{badge}</td><td>{reason}</td></tr>'
OUTCOME = '<span class="badge badge--{kind}"><span aria-hidden="true">{icon} </span>{words}</span>'


@register.simple_tag
def compliance_sections(rows: Sequence[tuple[Any, Sequence[Any]]]) -> SafeString:
    """A card for each `services.compliance.page_rows` row: the student linked to the
    placement's contacts, the committee, family and school, and a table of every rule with
    its outcome in words (an icon beside them) and the reason."""
    before, after = url_around("exchanges:placement_contacts")
    section = (
        SECTION.replace("{rule}", escape(_("Rule")))
        .replace("{outcome}", escape(_("Outcome")))
        .replace("{reason}", escape(_("Reason")))
    )
    summary = _("%(committee)s: the %(family)s family, %(school)s.")
    region = _("Rules for %(name)s")
    labels: dict[str, str] = {}
    outcomes: dict[tuple[bool, str], str] = {}
    written = []
    for row, checks in rows:
        cells = []
        for check in checks:
            if check.rule not in labels:
                labels[check.rule] = escape(check.label)
            key = (check.passed, check.outcome)
            if key not in outcomes:
                kind, icon = ("ok", "✔") if check.passed else ("danger", "✖")
                outcomes[key] = OUTCOME.format(kind=kind, icon=icon, words=escape(check.outcome))
            cells.append(
                CHECK_ROW.format(
                    label=labels[check.rule], badge=outcomes[key], reason=escape(check.reason)
                )
            )
        name = escape(row.name)
        written.append(
            section.format(
                url=escape(before + str(row.pk) + after),
                name=name,
                summary=summary
                % {
                    "committee": escape(row.committee),
                    "family": escape(row.family_name),
                    "school": escape(row.school_name),
                },
                region=region % {"name": name},
                checks="".join(cells),
            )
        )
    # Every value above went through `escape` (the translated sentences around them are the
    # catalogue's, as `{% blocktranslate %}` writes them); the fragments are this module's.
    return mark_safe("".join(written))
