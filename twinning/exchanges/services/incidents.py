"""Incidents of a student's stay and their mandatory report to the Department of State
(issue 10 section 3).

- Who records one: the hosting committee's admins and coordinators, verified staff
  (`report_incident`); who reads them: only `rules.may_read_restricted` (the committee's
  exchange coordinator, welfare staff), each read logged (`read_incident`, `list_incidents`)
  through `core.special.log_special_read`; never the family, the sending contact or another
  committee. E-mails say that an incident waits, never what it is.
- Whether a report is owed (`needs_mandatory_report`): an allegation of sexual misconduct,
  an arrest, a runaway and a death always; a serious illness or injury, a hospitalisation and a
  natural disaster when serious or critical; anything else when critical.
- By when (`report_due_at`): `DEFAULT_REPORT_HOURS` after it is recorded, by type, overridable
  per type with the setting `EXCHANGES_INCIDENT_REPORT_HOURS`. 22 CFR 62.25 asks the sponsor to
  report any allegation of sexual misconduct to the Department of State (and to the local
  police), and serious incidents to the Department promptly; the regulation gives no hours,
  so the defaults (24 hours for an allegation, a death, an arrest or a runaway; 72 hours for
  the rest) are the association's reading of "promptly", to confirm with its responsible
  officer.
- `close_mandatory_report`: welfare staff record the date and the Department's reference;
  `close_incident` closes the incident once no report is owed. `send_report_alerts` (hourly)
  e-mails welfare staff once per overdue report."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, require, require_verified_staff
from twinning.core.dates import association_today
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activity
from twinning.core.special import WELFARE_PERMISSION, log_special_read, require_special_reader
from twinning.exchanges import emails
from twinning.exchanges.models import Coordinator, Incident, Placement, Student
from twinning.exchanges.rules import may_read_restricted, may_read_restricted_of
from twinning.outbox.services import queue_email

T = Incident.Type
S = Incident.Severity
ALWAYS_REPORTED = (T.SEXUAL_MISCONDUCT, T.ARREST, T.RUNAWAY, T.DEATH)
REPORTED_WHEN_SERIOUS = (T.SERIOUS_ILLNESS, T.HOSPITALISATION, T.NATURAL_DISASTER)
DEFAULT_REPORT_HOURS: dict[str, int] = {
    T.SEXUAL_MISCONDUCT: 24,
    T.ARREST: 24,
    T.RUNAWAY: 24,
    T.DEATH: 24,
    T.SERIOUS_ILLNESS: 72,
    T.HOSPITALISATION: 72,
    T.NATURAL_DISASTER: 72,
    T.OTHER: 72,
}
INCIDENT_FIELDS = ("type", "severity", "occurred_on", "people_involved", "description", "actions")
LIST_FIELDS = ("type", "severity", "occurred_on")
READ_PURPOSE = "exchange care"


def needs_mandatory_report(type: str, severity: str) -> bool:
    if type in ALWAYS_REPORTED:
        return True
    if type in REPORTED_WHEN_SERIOUS:
        return severity in (S.SERIOUS, S.CRITICAL)
    return severity == S.CRITICAL


def report_hours(type: str) -> int:
    """Hours from recording to the report's deadline for this type (setting over default)."""
    configured = getattr(settings, "EXCHANGES_INCIDENT_REPORT_HOURS", {}) or {}
    return int(configured.get(type, DEFAULT_REPORT_HOURS.get(type, 72)))


def _readers(student: Student) -> list[Any]:
    """The people told an incident waits: the committee's exchange coordinators, welfare
    staff."""
    coordinators = Coordinator.objects.filter(
        member_id=student.quota.host_id, is_exchange_coordinator=True, user__is_active=True
    ).select_related("user")
    users = {c.user.pk: c.user for c in coordinators}
    app_label, codename = WELFARE_PERMISSION.split(".")
    held = Q(
        user_permissions__content_type__app_label=app_label, user_permissions__codename=codename
    ) | Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )
    welfare = get_user_model().objects.filter(held | Q(is_superuser=True), is_staff=True)
    users.update({u.pk: u for u in welfare.filter(is_active=True).distinct()})
    return [users[pk] for pk in sorted(users)]


def _mail(incident: Incident, template: str, users: list[Any], by: Any, key: str) -> None:
    due = incident.report_due_at
    for user in users:
        queue_email(
            to=user.email,
            template=template,
            context={
                "committee": incident.student.quota.host.name,
                "due": date_format(timezone.localtime(due), "DATETIME_FORMAT") if due else "",
                "page_url": absolute_url(
                    reverse("exchanges:incident_detail", kwargs={"pk": incident.pk})
                ),
            },
            recipient=user,
            related=incident,
            by=by,
            key=f"{key}.{incident.pk}.{user.pk}",
        )


@transaction.atomic
def report_incident(
    *,
    student: Student,
    type: str,
    severity: str,
    occurred_on: datetime.date,
    description: str,
    people_involved: str = "",
    actions_taken: str = "",
    by: Any,
) -> Incident:
    """Record an incident (the hosting committee's admins and coordinators, verified staff);
    whether a report to the Department of State is owed and by when follow from its type and
    severity. Tells the committee's exchange coordinator and welfare staff (without details)."""
    require(by, "exchanges.manage_committee", student.quota.host)
    if occurred_on > association_today():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if type not in T.values or severity not in S.values:
        raise ValidationError(_("Choose the incident's type and severity."))
    mandatory = needs_mandatory_report(type, severity)
    now = timezone.now()
    incident = Incident(
        student=student,
        placement=Placement.objects.current().filter(student=student).first(),
        type=type,
        severity=severity,
        occurred_on=occurred_on,
        description=description.strip(),
        people_involved=people_involved.strip(),
        actions_taken=actions_taken.strip(),
        reported_by=acting_user(by),
        requires_mandatory_report=mandatory,
        report_due_at=now + datetime.timedelta(hours=report_hours(type)) if mandatory else None,
    )
    incident.full_clean()
    incident.save()
    _mail(incident, emails.INCIDENT_REPORTED, _readers(student), by, "exchanges.incident")
    log_activity(incident, "exchanges.incident.reported", by=by, data={"mandatory": mandatory})
    return incident


def read_incident(*, incident: Incident, by: Any) -> Incident:
    """The incident, for those `rules.may_read_restricted` lets read (NotAllowed otherwise);
    the read is logged (field names and purpose, never values)."""
    if by is not SYSTEM and not may_read_restricted(by, incident.student):
        raise NotAllowed("exchanges.read_incident")
    log_special_read(
        incident,
        "exchanges.incident.read",
        by=by,
        fields=INCIDENT_FIELDS,
        purpose=READ_PURPOSE,
        student=incident.student_id,
    )
    return incident


def list_incidents(*, incidents: list[Incident], member: Any = None, by: Any) -> list[Incident]:
    """A list of incidents (their type, severity and date): a committee's (`member`) for its
    exchange coordinator or welfare staff, every committee's (no `member`) for welfare staff;
    one logged read for the page. NotAllowed otherwise, or if an incident is another
    committee's. Checked once for the list, not per row."""
    if by is not SYSTEM:
        if member is None:
            require_special_reader(by)
        elif not may_read_restricted_of(by, member):
            raise NotAllowed("exchanges.read_incident")
    if member is not None and any(i.student.quota.host_id != member.pk for i in incidents):
        raise NotAllowed("exchanges.read_incident")
    if incidents:
        log_special_read(
            member if member is not None else get_association(),
            "exchanges.incidents.listed",
            by=by,
            fields=LIST_FIELDS,
            purpose=READ_PURPOSE,
            incidents=[i.pk for i in incidents],
        )
    return incidents


@transaction.atomic
def close_mandatory_report(
    *, incident: Incident, reported_on: datetime.date, reference: str, by: Any
) -> Incident:
    """Welfare staff record that the incident was reported to the Department of State: the
    date and the Department's reference. Refused when no report is owed or it is closed."""
    require_verified_staff(by)
    require_special_reader(by)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.requires_mandatory_report:
        raise ValidationError(_("This incident needs no report to the Department of State."))
    if incident.reported_on is not None:
        raise ValidationError(_("The report is already recorded."))
    if reported_on > association_today():
        raise ValidationError({"reported_on": _("The date is in the future.")})
    if reported_on < incident.occurred_on:
        raise ValidationError({"reported_on": _("The report cannot precede the incident.")})
    if not reference.strip():
        raise ValidationError({"reference": _("Give the reference the Department gave.")})
    incident.reported_on = reported_on
    incident.report_reference = reference.strip()
    incident.report_closed_by = acting_user(by)
    incident.full_clean()
    incident.save()
    log_activity(
        incident,
        "exchanges.incident.report_filed",
        by=by,
        data={"reported_on": reported_on.isoformat(), "late": incident_is_late(incident)},
    )
    return incident


def incident_is_late(incident: Incident) -> bool:
    due = incident.report_due_at
    return bool(due and incident.reported_on and incident.reported_on > due.date())


@transaction.atomic
def close_incident(*, incident: Incident, by: Any) -> Incident:
    """Close the incident (its readers); refused while its mandatory report is not filed."""
    if by is not SYSTEM and not may_read_restricted(by, incident.student):
        raise NotAllowed("exchanges.close_incident")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.report_open:
        raise ValidationError(_("Record the report to the Department of State first."))
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("The incident is already closed."))
    incident.status = Incident.Status.CLOSED
    incident.save(update_fields=["status", "updated_at"])
    log_activity(incident, "exchanges.incident.closed", by=by)
    return incident


def send_report_alerts(*, now: datetime.datetime | None = None, by: Any) -> int:
    """E-mail welfare staff once about each overdue mandatory report (SYSTEM or verified
    staff). Returns how many incidents were alerted."""
    require(by, "exchanges.manage_seasons")
    now = now or timezone.now()
    overdue = (
        Incident.objects.report_open()
        .filter(report_due_at__lt=now, overdue_alert_sent_at__isnull=True)
        .select_related("student__quota__host")
    )
    sent = 0
    for incident in overdue:
        with transaction.atomic():
            claimed = Incident.objects.filter(
                pk=incident.pk, overdue_alert_sent_at__isnull=True
            ).update(overdue_alert_sent_at=now)
            if not claimed:
                continue  # another run sent it
            staff = [u for u in _readers(incident.student) if u.is_staff]
            _mail(incident, emails.INCIDENT_REPORT_OVERDUE, staff, by, "exchanges.incident.late")
            log_activity(incident, "exchanges.incident.report_overdue", by=by)
            sent += 1
    return sent
