"""Builders for the monitoring and incident tests (section 3). The placing service is built in
parallel, so a placement here is a `Placement` row made with the ORM on what the real
services built: an approved family (families' services), a school with its letter, a
coordinator with current training, an accepted student (the guardian consented; `placed` is
not reachable through `change_status`, so the student stays accepted)."""

import datetime
from types import SimpleNamespace

from tests.exchanges import helpers as h
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import FamilyApproval, HomeVisit, Incident, Placement
from twinning.exchanges.services import families, incidents, staff, students

# A distinctive incident text: never on a page the family, a sending contact, another
# committee or the committee's other managers can reach.
CANARY_INCIDENT = "CANARY-INC-5d2e fell from the stairs"
CANARY_PEOPLE = "CANARY-PPL-88aa the neighbour"


def approved(family) -> FamilyApproval:
    found = FamilyApproval.objects.filter(family=family).first()
    return found or families.approve_family(family=family, by=SYSTEM)


def school_with_letter(member, name: str = "Springfield High"):
    school = staff.add_school(
        member=member,
        name=name,
        address="1 School Road",
        contact_name="Principal Skinner",
        contact_email=f"{name.split(maxsplit=1)[0].lower()}@school.example",
        by=SYSTEM,
    )
    return staff.file_acceptance_letter(
        school=school, upload=h.pdf_upload("letter.pdf"), signed_on=association_today(), by=SYSTEM
    )


def accept(student):
    if student.status == student.Status.NOMINATED:
        h.grant_consent(student)
        students.change_status(student=student, status="accepted", message="Welcome", by=SYSTEM)
    student.refresh_from_db()
    return student


def place(student, family, school, coordinator, starts_on: datetime.date | None = None):
    """A current placement row (as the placing service will make it). The screening helpers
    visit the home today; a placement that starts earlier has its visit dated before it (the
    ORM, as the placement row itself)."""
    starts_on = starts_on or association_today() - datetime.timedelta(days=40)
    approval = approved(family)
    if approval.home_visit.visited_on > starts_on:
        HomeVisit.objects.filter(pk=approval.home_visit_id).update(
            visited_on=starts_on - datetime.timedelta(days=20)
        )
    return Placement.objects.create(
        student=accept(student),
        approval=approval,
        school=school,
        coordinator=coordinator,
        starts_on=starts_on,
        reasons="Shared languages.",
    )


def placed(member, *, starts_on=None, email="ana@kragujevac.example", slug="mon"):
    """A fresh committee world with one placed student: its season, quota, family, school,
    coordinator and placement."""
    season = h.season(slug=slug)
    quota = h.quota(member, season)
    student = h.nominate(quota, email=email)
    coordinator = h.coordinator(member, email=f"coord.{slug}@springfield.example")
    family = h.screened_family(member, coordinator, email=f"family.{slug}@springfield.example")
    school = school_with_letter(member, name=f"{slug.title()} High")
    placement = place(student, family, school, coordinator, starts_on)
    return SimpleNamespace(
        member=member,
        season=season,
        quota=quota,
        student=student,
        coordinator=coordinator,
        family=family,
        school=school,
        placement=placement,
    )


def incident(student, **overrides) -> Incident:
    values = {
        "type": Incident.Type.HOSPITALISATION,
        "severity": Incident.Severity.SERIOUS,
        "occurred_on": association_today(),
        "description": CANARY_INCIDENT,
        "people_involved": CANARY_PEOPLE,
        "actions_taken": "Taken to hospital.",
    }
    values.update(overrides)
    return incidents.report_incident(student=student, **values, by=SYSTEM)


def extend(world):
    """Add to `helpers.build`'s world a placement of its student with its family (approved),
    school and coordinator, and an incident with a mandatory report; returns them."""
    if getattr(world, "placement", None) is None:
        world.placement = place(world.student, world.family, world.school, world.coordinator)
        world.incident = incident(world.student)
    return world
