"""Builders for the reciprocity and retention tests: students who went (placed with an
approved family, a school and a coordinator), in both directions of a partnership."""

import datetime
from types import SimpleNamespace

from tests.exchanges import helpers as h
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from twinning.core.authz import SYSTEM
from twinning.exchanges.models import Placement, Student
from twinning.exchanges.services import families, staff, students


def advance(student: Student, status: str) -> Student:
    """Accept the student (with the guardian's consent), place them, then walk the stay's steps
    up to `status`. `placed` is written as the placing service (section 3, another part of the
    issue) writes it: the status and its history row."""
    if status in (Student.Status.NOMINATED,):
        return student
    h.grant_consent(student)
    if status == Student.Status.DECLINED:
        return students.change_status(student=student, status=status, by=SYSTEM)
    student = students.change_status(student=student, status="accepted", by=SYSTEM)
    if status == Student.Status.ACCEPTED:
        return student
    Student.objects.filter(pk=student.pk).update(status=Student.Status.PLACED)
    student.refresh_from_db()
    path = {
        "placed": [],
        "visa_issued": ["visa_issued"],
        "arrived": ["visa_issued", "arrived"],
        "completed": ["visa_issued", "arrived", "completed"],
        "returned_early": ["visa_issued", "returned_early"],
    }[status]
    for step in path:
        student = students.change_status(student=student, status=step, message="Step.", by=SYSTEM)
    return student


def place(student: Student, family, school, coordinator) -> Placement:
    """A placement row with matching reasons (free text the retention deletes)."""
    return Placement.objects.create(
        student=student,
        approval=family.approval,
        school=school,
        coordinator=coordinator,
        starts_on=student.season.arrival_date,
        reasons="Both love chess; CANARY-REASON-55",
    )


def approved_family(member, email: str, coordinator):
    family = h.screened_family(member, coordinator, email=email)
    visit = family.home_visits.get()
    families.record_home_visit(
        family=family,
        coordinator=coordinator,
        visited_on=visit.visited_on,
        findings="Photo of the room.",
        suitable=True,
        photos=[h.png_upload()],
        by=SYSTEM,
    )
    families.approve_family(family=family, by=SYSTEM)
    family.refresh_from_db()
    return family


def two_way(springfield_member, season=None, *, slug="2027-28") -> SimpleNamespace:
    """A partnership Springfield-Kragujevac where both sides host in `season`: the
    Springfield committee hosts Kragujevac's students, the Kragujevac committee Springfield's."""
    season = season or h.season(slug=slug)
    springfield = springfield_member.communities.first()
    kragujevac = CommunityFactory(name="Kragujevac")
    pair = sorted([springfield, kragujevac], key=lambda c: c.pk)
    partnership = PartnershipFactory(community_a=pair[0], community_b=pair[1])
    kragujevac_member = MemberFactory(name="Kragujevac Twinning", communities=[kragujevac])
    to_springfield = students.offer_places(
        season=season, host=springfield_member, partnership=partnership, places=9, by=SYSTEM
    )
    to_kragujevac = students.offer_places(
        season=season, host=kragujevac_member, partnership=partnership, places=9, by=SYSTEM
    )
    return SimpleNamespace(
        season=season,
        springfield=springfield,
        kragujevac=kragujevac,
        partnership=partnership,
        to_springfield=to_springfield,
        to_kragujevac=to_kragujevac,
        kragujevac_member=kragujevac_member,
    )


def student_in(quota, n: int, status: str, **overrides) -> Student:
    student = h.nominate(
        quota,
        email=f"student{n}.{quota.pk}@example.org",
        first_name=f"Canaryname{n}",
        **overrides,
    )
    return advance(student, status)


def school(member):
    return staff.add_school(
        member=member,
        name="Springfield High",
        address="1 School Road",
        contact_name="Principal Skinner",
        contact_email="skinner@springfield.example",
        by=SYSTEM,
    )


def after(season, days: int = 0) -> datetime.date:
    return season.retention_due_on + datetime.timedelta(days=days)


def also_in_the_summit(person):
    """`person` applies to an open summit and their guardian grants the summit's consents:
    the summit application, for checking that the exchange's retention leaves it alone."""
    from tests.events.summit_apply_helpers import grant, open_summit, youth_ticket
    from twinning.events.services.summit_apply import apply_to_summit

    summit = open_summit()
    application = apply_to_summit(
        event=summit,
        ticket=youth_ticket(summit),
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        community=person.community,
        guardian_email=person.guardian_email,
        emergency_contacts="Mother",
        by=person.user,
    )
    grant(application)
    return application
