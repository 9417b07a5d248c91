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

A season already done is skipped, so running the job twice changes nothing more."""

import datetime
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from twinning.core.authz import require_verified_staff
from twinning.core.dates import association_today
from twinning.core.privacy import shred_audit_data
from twinning.core.services import log_activity
from twinning.exchanges.models import (
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


def _erase_students(season: Season) -> tuple[int, int, set[int]]:
    """The season's students' exchange data; returns (students, files, the families they
    were placed with)."""
    students = list(season.students.select_related("person"))
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
    students, student_files, family_ids = _erase_students(season)
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


def apply_retention(*, today: datetime.date | None = None, by: Any) -> dict[str, int]:
    """The nightly job: every season past its period, oldest first (a family that hosted in
    two expired seasons is erased with the later one). Returns the totals."""
    require_verified_staff(by)
    today = today or association_today()
    totals: Counter[str] = Counter(seasons=0)
    for season in Season.objects.filter(retention_done_at__isnull=True).order_by(
        "departure_date", "pk"
    ):
        if is_due(season, today):
            totals.update(apply_season_retention(season=season, today=today, by=by))
            totals["seasons"] += 1
    return dict(totals)


__all__ = ["apply_retention", "apply_season_retention", "is_due"]
