"""Grants: created when decisions are published (amounts per side, tranches, every side's
interim and final reports), reports written, approved or returned, tranches paid once their
reports are approved, reminders before and after due dates, and closeout."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.dates import add_months, association_today
from twinning.core.media import delete_stored, private_storage, store_upload
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.uploads import PDF_LIMITS, Kind
from twinning.grants import emails
from twinning.grants.models import (
    Application,
    Grant,
    Receipt,
    Report,
    ReportReminder,
    Spending,
    Tranche,
    money,
)
from twinning.outbox.services import queue_email

# Share of the grant paid by each tranche, and the report each waits for.
TRANCHES = ((Decimal("0.5"), ""), (Decimal("0.3"), Report.Kind.INTERIM), (None, Report.Kind.FINAL))
REMINDERS = ((30, "30"), (7, "7"))


def grant_countries(application: Application) -> str:
    """The application's sides' countries, sorted and joined ("CA-MX-US")."""
    found = application.sides.values_list("community__country_id", flat=True).distinct()
    return "-".join(sorted({code for code in found if code}))


def _create_grant(*, application: Application, by: Any) -> Grant:
    """The grant of a funded application (called by `publish_decisions`, whose actor check
    covers it): amounts per side in proportion to what each asked, three tranches, and each
    side's interim and final reports."""
    call = application.call
    amount = application.awarded_amount or Decimal(0)
    grant = Grant.objects.create(
        application=application,
        amount=amount,
        currency=call.program.currency,
        starts_on=association_today(),
        countries=grant_countries(application),
    )
    sides = list(application.sides.prefetch_related("lines", "application__call__rates"))
    asked = [side.requested_converted() for side in sides]
    total = sum(asked, Decimal(0))
    given = Decimal(0)
    for index, side in enumerate(sides):
        if index == len(sides) - 1:
            share = amount - given
        else:
            share = money(amount * asked[index] / total) if total else money(amount / len(sides))
        given += share
        side.awarded_amount = share
        side.save(update_fields=["awarded_amount"])
    paid = Decimal(0)
    for number, (part, after) in enumerate(TRANCHES, start=1):
        value = money(amount * part) if part is not None else amount - paid
        paid += value
        Tranche.objects.create(grant=grant, number=number, amount=value, after_report=after)
    for side in sides:
        for kind, months in (
            (Report.Kind.INTERIM, call.interim_report_months),
            (Report.Kind.FINAL, call.final_report_months),
        ):
            Report.objects.create(
                grant=grant, side=side, kind=kind, due_on=add_months(grant.starts_on, months)
            )
    log_activity(grant, "grants.grant.created", by=by, data={"amount": str(amount)})
    return grant


def _require_active(grant: Grant) -> None:
    if grant.state != Grant.State.ACTIVE:
        raise ValidationError(_("This grant is closed."))


@transaction.atomic
def submit_report(
    *,
    report: Report,
    narrative: str,
    participants: int,
    outcomes: str,
    spending: Mapping[int, Decimal],
    by: Any,
) -> Report:
    """The side's report (narrative, participants, outcomes, spending per budget line in the
    side's currency), submitted for staff review. The side's committee admins, while the
    report is due or returned."""
    require(by, "grants.submit_report", report)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_active(report.grant)
    if report.state not in (Report.State.DUE, Report.State.RETURNED):
        raise ValidationError(_("This report is already submitted."))
    if not narrative.strip():
        raise ValidationError({"narrative": _("Tell what happened.")})
    lines = {line.pk: line for line in report.side.lines.all()}
    report.spending.all().delete()
    for line_id, amount in spending.items():
        if line_id not in lines:
            raise ValidationError(_("Spending must be against a line of your budget."))
        Spending.objects.create(report=report, line=lines[line_id], amount=money(Decimal(amount)))
    report.narrative = narrative
    report.participants = participants
    report.outcomes = outcomes
    report.state = Report.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    log_activity(report, "grants.report.submitted", by=by, data={"kind": report.kind})
    return report


@transaction.atomic
def add_receipt(*, report: Report, upload: Any, by: Any) -> Receipt:
    """A receipt (PDF or image) for the report, through the upload pipeline."""
    require(by, "grants.submit_report", report)
    if report.state not in (Report.State.DUE, Report.State.RETURNED):
        raise ValidationError(_("This report is already submitted."))
    stored = store_upload(upload, allowed=(Kind.PDF,), limits=PDF_LIMITS, folder="grants/receipts")
    main = stored.files["document"]
    others = [f.name for f in stored.files.values() if f.name != main.name]
    delete_stored(private_storage, others)
    receipt = Receipt.objects.create(
        report=report,
        file_name=main.name,
        mime=main.mime,
        display_name=stored.inspected.display_name[:200],
    )
    log_activity(report, "grants.report.receipt_added", by=by, data={"receipt": receipt.pk})
    return receipt


def _review(report: Report, by: Any) -> Report:
    require(by, "grants.manage")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != Report.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved or returned."))
    return report


@transaction.atomic
def approve_report(*, report: Report, comment: str = "", by: Any) -> Report:
    """Staff approve a submitted report (its tranche becomes payable when every side's
    report of the kind is approved)."""
    report = _review(report, by)
    report.state = Report.State.APPROVED
    report.staff_comment = comment
    report.reviewed_at = timezone.now()
    report.save()
    log_activity(report, "grants.report.approved", by=by, data={"comment": comment})
    return report


@transaction.atomic
def return_report(*, report: Report, comment: str, by: Any) -> Report:
    """Staff return a submitted report with comments (e-mailed to the side's admins)."""
    report = _review(report, by)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs changing.")})
    report.state = Report.State.RETURNED
    report.staff_comment = comment
    report.reviewed_at = timezone.now()
    report.save()
    for address in _addresses(report):
        queue_email(
            to=address,
            template=emails.REPORT_RETURNED,
            context=_report_context(report) | {"comment": comment},
            related=report,
            by=by,
        )
    log_activity(report, "grants.report.returned", by=by, data={"comment": comment})
    return report


def tranche_problem(tranche: Tranche) -> str:
    """Why the tranche cannot be paid now ("" when it can)."""
    if tranche.paid_at is not None:
        return _("Already paid.")
    if tranche.grant.state != Grant.State.ACTIVE:
        return _("The grant is closed.")
    if not tranche.after_report:
        return ""
    reports = tranche.grant.reports.filter(kind=tranche.after_report)
    waiting = [
        str(r.side) for r in reports.select_related("side__community") if r.state != "approved"
    ]
    if waiting:
        return _("Payable once the %(kind)s of every side is approved; waiting for %(who)s.") % {
            "kind": Report.Kind(tranche.after_report).label,
            "who": ", ".join(waiting),
        }
    return ""


@transaction.atomic
def pay_tranche(*, tranche: Tranche, by: Any) -> Tranche:
    """Record a tranche as paid; only once the reports it waits for are approved."""
    require(by, "grants.manage")
    tranche = Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    problem = tranche_problem(tranche)
    if problem:
        raise ValidationError(problem)
    tranche.paid_at = timezone.now()
    tranche.save(update_fields=["paid_at"])
    log_activity(
        tranche.grant,
        "grants.tranche.paid",
        by=by,
        data={"number": tranche.number, "amount": str(tranche.amount)},
    )
    return tranche


@transaction.atomic
def close_grant(*, grant: Grant, by: Any) -> Grant:
    """Close a grant once every side's final report is approved."""
    require(by, "grants.manage")
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _require_active(grant)
    if grant.reports.filter(kind=Report.Kind.FINAL).exclude(state=Report.State.APPROVED).exists():
        raise ValidationError(_("A grant closes only after every side's final report is approved."))
    grant.state = Grant.State.CLOSED
    grant.closed_at = timezone.now()
    grant.save(update_fields=["state", "closed_at", "updated_at"])
    log_activity(grant, "grants.grant.closed", by=by)
    return grant


def _addresses(report: Report) -> list[str]:
    side = report.side
    found = {side.contact_email} if side.contact_email else set()
    if side.member is not None:
        found |= {a.email for a in side.member.admins.all() if a.email}
    return sorted(found)


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": str(report.get_kind_display()),
        "title": report.grant.application.title,
        "community": str(report.side.community),
        "due_on": report.due_on.isoformat(),
        "report_url": absolute_url(report.get_absolute_url()),
    }


def _reminder_kind(report: Report, today: datetime.date) -> str:
    days = (report.due_on - today).days
    if days < 0:
        return "overdue"
    for limit, kind in sorted(REMINDERS):
        if days <= limit:
            return kind
    return ""


def send_report_reminders(*, today: datetime.date | None = None, by: Any) -> int:
    """Remind each open report's side 30 and 7 days before its due date and once overdue,
    each reminder once (a row per report and kind; a second run sends nothing). SYSTEM or
    staff. Returns how many reminders were sent."""
    require(by, "grants.manage")
    today = today or association_today()
    sent = 0
    horizon = today + datetime.timedelta(days=30)
    reports = (
        Report.objects.open()
        .filter(grant__state=Grant.State.ACTIVE, due_on__lte=horizon)
        .select_related("grant__application", "side__community", "side__member")
        .prefetch_related("reminders", "side__member__admins")
    )
    for report in reports:
        kind = _reminder_kind(report, today)
        if not kind or any(r.kind == kind for r in report.reminders.all()):
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReportReminder.objects.create(report=report, kind=kind)
            except IntegrityError:
                continue  # another run sent it
            when = (
                _("overdue since %(d)s") % {"d": report.due_on}
                if kind == "overdue"
                else _("due in %(n)s days") % {"n": (report.due_on - today).days}
            )
            for address in _addresses(report):
                queue_email(
                    to=address,
                    template=emails.REPORT_REMINDER,
                    context=_report_context(report) | {"when": when},
                    related=report,
                    by=by,
                    key=f"grants.reminder.{report.pk}.{kind}.{address}",
                )
            log_activity(report, "grants.report.reminded", by=by, data={"kind": kind})
            sent += 1
    return sent
