"""Retention (issue 10 section 3, RELIABILITY P-10): a season's records are kept for the
regulation's period after the program ends (`Season.retention_years`, three years after the
departure date by default), then the personal data goes and the counts stay.

For each season past its date, in one transaction (`apply_season_retention`):

1. the counts are kept first: `ReciprocityFigure` rows (who sent how many students to whom,
   `services.reciprocity`) and `Season.retained_counts` (students by status, placements), and
   `retention_done_at` is set, so from now on the pages read the figures, never the students;
2. the students' exchange data goes: their incidents, their placements (with the matching
   reasons and end reasons, the monthly contacts and their alerts), orientations, restricted
   details, documents (and their files in private storage), emergency
   contacts, interview notes and status-change messages (the student rows themselves), and the
   sending contacts of the season's places;
3. each young person is handed to youth's `erase_person` for the exchange program (no second
   copy of erasure logic): a person another program still holds (the summit, the showcase)
   keeps that program's data and loses only the exchange's consents; a person with a student
   row in another season still within its period is left alone;
4. each host family that hosted in the season and has no placement left (so none in a
   season still within its period) loses its personal data: household, background checks,
   references, home visits and their private photos (files too), its approval and the
   application itself; the family's account stays (it is the person's sign-in, and may hold
   other roles);
5. the audit log and the outbox forget these rows (core.privacy, outbox.privacy, through
   youth's erasure for the students), and one audit entry records the counts, never a name.

A season already done is skipped, so running the job twice changes nothing more.

Applications that ended without a placement do not wait for their season
(`apply_unplaced_retention`, `settings.EXCHANGES_UNPLACED_RETENTION_MONTHS`, 6 by default;
RELIABILITY P-10 "exchange application not placed: 6 months after the decision"):

- a student the association declined (`declined`: the only final status without a placement;
  nominated and accepted students may still be declined or placed) goes that many months
  after the decision, the day of their `declined` status change, by the same code as the
  season's (`_erase_students`). A declined student with an incident waits for the season
  (incidents are kept for the regulation's period). The season's count of students by
  status keeps them: `Season.retained_counts["erased_early"]` counts them by status, the
  pages and the API add it, and `_freeze_figures` folds it in. Declined students never count
  in reciprocity;
- a host family with no placement at all (none in any season still kept) goes that many
  months after its last audited event (its application, a screening step, the approval or
  the decline: every service that changes a family writes one) and, when approved, after its
  approval's screening horizon (the stays it was screened for: a year after the approval, or
  the last departure of the seasons announced then), by the same code as the season's
  (`_erase_family`). Its account stays.

One audit entry `exchanges.unplaced.retention_applied` on the association records the
counts, never a name; nothing due, nothing written."""

import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, DateTimeField, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from twinning.core.authz import require_verified_staff
from twinning.core.dates import add_months, association_date, association_today
from twinning.core.models import ActivityLog
from twinning.core.privacy import shred_audit_data
from twinning.core.services import get_association, log_activity
from twinning.exchanges.models import (
    ERASED_EARLY,
    BackgroundCheck,
    FamilyApproval,
    HomeVisit,
    HomeVisitPhoto,
    HostFamily,
    HouseholdMember,
    Incident,
    Placement,
    ReciprocityFigure,
    RestrictedDetails,
    Season,
    SendingContact,
    StatusChange,
    Student,
    StudentDocument,
)
from twinning.exchanges.models import Reference as FamilyReference
from twinning.exchanges.services.families import HORIZON_DAYS
from twinning.exchanges.services.reciprocity import WENT, student_flows
from twinning.outbox.privacy import forget_messages
from twinning.youth import privacy as youth_privacy
from twinning.youth.models import Person

PROGRAM = "exchanges"


def _delete_files_on_commit(names: list[str]) -> None:
    from twinning.core.media import delete_stored, private_storage

    if names:
        transaction.on_commit(lambda: delete_stored(private_storage, names))


def _pks(rows: QuerySet[Any]) -> list[int]:
    return list(rows.values_list("pk", flat=True))


def _freeze_figures(season: Season) -> None:
    """Write the season's reciprocity figures and counts from its students, and mark the
    season done, so its figures are read from these rows and never from the students again
    (no double counting). Only `apply_season_retention` calls it, in the transaction that
    then deletes the students: frozen earlier, later placements would be missed."""
    ReciprocityFigure.objects.filter(season=season).delete()
    ReciprocityFigure.objects.bulk_create(
        ReciprocityFigure(
            season=season,
            partnership_id=flow.partnership_id,
            year=flow.year,
            sending_id=flow.sending_id,
            hosting_id=flow.hosting_id,
            students=flow.students,
        )
        for flow in student_flows(seasons=[season])
    )
    statuses = Counter(season.students.values_list("status", flat=True))
    # Students erased earlier as declined (`apply_unplaced_retention`) still count.
    statuses.update(season.retained_counts.get(ERASED_EARLY, {}))
    placements = Placement.objects.filter(student__season=season)
    incidents = Incident.objects.filter(student__season=season)
    season.retained_counts = {
        "students": dict(sorted(statuses.items())),
        "students_went": sum(n for status, n in statuses.items() if status in WENT),
        "placements": placements.count(),
        "families": placements.values("approval__family").distinct().count(),
        "incidents": incidents.count(),
        "mandatory_reports": incidents.filter(requires_mandatory_report=True).count(),
    }
    season.retention_done_at = timezone.now()
    season.save(update_fields=["retained_counts", "retention_done_at", "updated_at"])


def _erase_students(rows: QuerySet[Student]) -> tuple[int, int, set[int]]:
    """The exchange data of the students `rows` (a season's, or declined ones); returns
    (students, files, the families they were placed with)."""
    students = list(rows.select_related("person"))
    ids = [s.pk for s in students]
    placements = Placement.objects.filter(student_id__in=ids)
    families = set(placements.values_list("approval__family_id", flat=True))
    documents = StudentDocument.objects.filter(student_id__in=ids)
    files = [name for name in documents.values_list("file_name", flat=True) if name]
    incidents = Incident.objects.filter(student_id__in=ids)
    subjects: list[Any] = [
        (Student, ids),
        (Incident, _pks(incidents)),
        (Placement, _pks(placements)),
        (StatusChange, _pks(StatusChange.objects.filter(student_id__in=ids))),
        (RestrictedDetails, _pks(RestrictedDetails.objects.filter(student_id__in=ids))),
        (StudentDocument, _pks(documents)),
    ]
    _delete_files_on_commit(files)
    # Incidents (kept for the same period) protect their student and placement: they go
    # first; the monthly contacts and their alerts go with the placements.
    incidents.delete()
    placements.delete()
    # Restricted details, documents and status changes (with their messages) go with the rows.
    Student.objects.filter(pk__in=ids).delete()
    people = {s.person_id for s in students}
    still_held = set(
        Student.objects.filter(person_id__in=people).values_list("person_id", flat=True)
    )
    shred_audit_data(subjects=subjects)
    forget_messages(subjects=subjects)
    for person in Person.objects.filter(pk__in=people - still_held).select_related(
        "user", "guardian"
    ):
        youth_privacy.erase_person(person, program=PROGRAM, subjects=subjects)
    return len(ids), len(files), families


def _erase_contacts(season: Season) -> int:
    contacts = SendingContact.objects.filter(quota__season=season)
    ids = list(contacts.values_list("pk", flat=True))
    if ids:
        shred_audit_data(subjects=[(SendingContact, ids)])
        forget_messages(subjects=[(SendingContact, ids)])
        contacts.delete()
    return len(ids)


def _erase_family(family: HostFamily) -> int:
    """A family's personal data; returns how many files went."""
    household = list(family.household.values_list("pk", flat=True))
    visits = list(family.home_visits.values_list("pk", flat=True))
    photos = HomeVisitPhoto.objects.filter(visit_id__in=visits)
    references = list(family.references.values("pk", "email"))
    files = [name for name in photos.values_list("file_name", flat=True) if name]
    subjects: list[Any] = [
        (HostFamily, [family.pk]),
        (HouseholdMember, household),
        (BackgroundCheck, _pks(BackgroundCheck.objects.filter(person_id__in=household))),
        (FamilyReference, [r["pk"] for r in references]),
        (HomeVisit, visits),
        (HomeVisitPhoto, _pks(photos)),
        (FamilyApproval, _pks(FamilyApproval.objects.filter(family=family))),
    ]
    shred_audit_data(subjects=subjects)
    forget_messages(addresses=[r["email"] for r in references], subjects=subjects)
    _delete_files_on_commit(files)
    FamilyApproval.objects.filter(family=family).delete()
    # Household (with its checks), references, visits and their photos go with the family.
    family.delete()
    return len(files)


def _erase_families(family_ids: set[int]) -> tuple[int, int]:
    """Families the season's students were placed with that have no placement left (every
    expired season's placements are gone, so a placement left is in a season still kept)."""
    placed = set(
        Placement.objects.filter(approval__family_id__in=family_ids).values_list(
            "approval__family_id", flat=True
        )
    )
    erased = files = 0
    for family in HostFamily.objects.filter(pk__in=family_ids - placed):
        files += _erase_family(family)
        erased += 1
    return erased, files


def is_due(season: Season, today: datetime.date) -> bool:
    return season.retention_done_at is None and today >= season.retention_due_on


@transaction.atomic
def apply_season_retention(
    *, season: Season, today: datetime.date | None = None, by: Any
) -> dict[str, int]:
    """Delete the season's personal data once its period has passed, keeping the counts (see
    the module's docstring). Returns the counts erased; nothing happens before the date or
    for a season already done. Verified staff or SYSTEM (the nightly job)."""
    require_verified_staff(by)
    season = Season.objects.select_for_update().get(pk=season.pk)
    if not is_due(season, today or association_today()):
        return {}
    _freeze_figures(season)
    students, student_files, family_ids = _erase_students(season.students.all())
    contacts = _erase_contacts(season)
    families, family_files = _erase_families(family_ids)
    counts = {
        "students": students,
        "sending_contacts": contacts,
        "families": families,
        "files": student_files + family_files,
    }
    log_activity(season, "exchanges.season.retention_applied", by=by, data=counts)
    return counts


# --- Applications that ended without a placement ----------------------------------------------


def unplaced_months() -> int:
    return int(settings.EXCHANGES_UNPLACED_RETENTION_MONTHS)


def declined_due(today: datetime.date) -> list[int]:
    """Declined students whose decision is `unplaced_months()` old on `today` (the day of
    their `declined` status change; the row's last change if none is recorded), with no
    placement and no incident, in a season not yet done."""
    decided = (
        StatusChange.objects.filter(student=OuterRef("pk"), status=Student.Status.DECLINED)
        .order_by()
        .values("student")
        .annotate(at=Max("changed_at"))
        .values("at")
    )
    rows = (
        Student.objects.filter(
            status=Student.Status.DECLINED, season__retention_done_at__isnull=True
        )
        .exclude(Exists(Placement.objects.filter(student=OuterRef("pk"))))
        .exclude(Exists(Incident.objects.filter(student=OuterRef("pk"))))
        .annotate(decided_at=Subquery(decided, output_field=DateTimeField()))
        .order_by("pk")
    )
    months = unplaced_months()
    return [
        pk
        for pk, decided_at, updated_at in rows.values_list("pk", "decided_at", "updated_at")
        if today >= add_months(association_date(decided_at or updated_at), months)
    ]


def _approval_horizon(approval: FamilyApproval) -> datetime.date:
    """The last day the approval's screening looked at (`families.screening_horizon` as it
    was on the approval day): a year later, or the last departure of the seasons then
    announced and not over."""
    approved_on = association_date(approval.approved_at)
    last = (
        Season.objects.filter(created_at__lte=approval.approved_at, departure_date__gte=approved_on)
        .order_by("-departure_date")
        .values_list("departure_date", flat=True)
        .first()
    )
    horizon = approved_on + datetime.timedelta(days=HORIZON_DAYS)
    return max(horizon, last) if last else horizon


def family_due_on(family: HostFamily, last_event: datetime.datetime | None) -> datetime.date:
    """The day a family never placed is deleted: `unplaced_months()` after its last audited
    event (`last_event`; the row's last change if later) or, when approved, after its
    approval's horizon if that is later."""
    moments = [family.updated_at] + ([last_event] if last_event else [])
    start = association_date(max(moments))
    if family.status == HostFamily.Status.APPROVED:
        approval = FamilyApproval.objects.filter(family=family).first()
        if approval is not None:
            start = max(start, _approval_horizon(approval))
    return add_months(start, unplaced_months())


def families_due(today: datetime.date) -> list[HostFamily]:
    """Families with no placement in any season (so none kept) whose date has come."""
    last_event = (
        ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(HostFamily),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by()
        .values("object_id")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    rows = (
        HostFamily.objects.exclude(
            Exists(Placement.objects.filter(approval__family_id=OuterRef("pk")))
        )
        .annotate(last_event=Subquery(last_event, output_field=DateTimeField()))
        .order_by("pk")
    )
    return [
        family
        for family in rows
        if today >= family_due_on(family, getattr(family, "last_event", None))
    ]


def _count_erased_early(students: QuerySet[Student]) -> None:
    """Add the students about to be erased to their season's early count (by status)."""
    by_season: dict[int, Counter[str]] = {}
    for season_id, status in students.values_list("season_id", "status"):
        by_season.setdefault(season_id, Counter())[status] += 1
    for season in Season.objects.select_for_update().filter(pk__in=by_season).order_by("pk"):
        counted = Counter(season.retained_counts.get(ERASED_EARLY, {}))
        counted.update(by_season[season.pk])
        season.retained_counts = {
            **season.retained_counts,
            ERASED_EARLY: dict(sorted(counted.items())),
        }
        season.save(update_fields=["retained_counts", "updated_at"])


def _still_unplaced(families: list[HostFamily]) -> list[HostFamily]:
    """`families` whose rows and approvals are now locked (as the family's services lock the
    family, and placing locks the approval: a placement made meanwhile has committed or waits),
    less any that got a placement meanwhile."""
    ids = [family.pk for family in families]
    list(HostFamily.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    list(
        FamilyApproval.objects.select_for_update()
        .filter(family_id__in=ids)
        .values_list("pk", flat=True)
    )
    placed = set(
        Placement.objects.filter(approval__family_id__in=ids).values_list(
            "approval__family_id", flat=True
        )
    )
    return [family for family in families if family.pk not in placed]


@transaction.atomic
def apply_unplaced_retention(*, today: datetime.date | None = None, by: Any) -> dict[str, int]:
    """Delete the applications that ended without a placement once their period has passed
    (see the module's docstring): declined students and families never placed. Returns the
    counts erased (empty when nothing was due). Verified staff or SYSTEM."""
    require_verified_staff(by)
    today = today or association_today()
    students = declined_due(today)
    families = _still_unplaced(families_due(today))
    if not students and not families:
        return {}
    declined = Student.objects.filter(pk__in=students)
    _count_erased_early(declined)
    erased, student_files, _placed = _erase_students(declined)
    family_files = sum(_erase_family(family) for family in families)
    counts = {
        "unplaced_students": erased,
        "unplaced_families": len(families),
        "files": student_files + family_files,
    }
    log_activity(get_association(), "exchanges.unplaced.retention_applied", by=by, data=counts)
    return counts


def apply_retention(*, today: datetime.date | None = None, by: Any) -> dict[str, int]:
    """The nightly job: every season past its period, oldest first (a family that hosted in
    two expired seasons is erased with the later one), then the applications that ended
    without a placement. Returns the totals."""
    require_verified_staff(by)
    today = today or association_today()
    totals: Counter[str] = Counter(seasons=0)
    for season in Season.objects.filter(retention_done_at__isnull=True).order_by(
        "departure_date", "pk"
    ):
        if is_due(season, today):
            totals.update(apply_season_retention(season=season, today=today, by=by))
            totals["seasons"] += 1
    totals.update(apply_unplaced_retention(today=today, by=by))
    return dict(totals)


__all__ = [
    "apply_retention",
    "apply_season_retention",
    "apply_unplaced_retention",
    "is_due",
]
