"""Builders for the placement tests, on the real services (C18): accepted students, approved
families, schools with their letter."""

import datetime
from types import SimpleNamespace

from tests.exchanges import helpers as h
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import Student
from twinning.exchanges.services import families, staff, students


def accept(student: Student) -> Student:
    h.grant_consent(student)
    return students.change_status(student=student, status=Student.Status.ACCEPTED, by=SYSTEM)


def approved_family(member, coordinator, email: str, **overrides):
    """A screened and approved family (`overrides` change the application: pets, smoking,
    languages, capacity, family_name)."""
    family = h.screened_family(member, coordinator, email=email)
    for name, value in overrides.items():
        setattr(family, name, value)
    family.save()
    return families.approve_family(family=family, by=SYSTEM)


def school(member, name: str = "Shelbyville High", *, letter: bool = True):
    found = staff.add_school(
        member=member,
        name=name,
        address="2 School Road",
        contact_name="Principal",
        contact_email=f"{name.lower().replace(' ', '.')}@example.org",
        by=SYSTEM,
    )
    if letter:
        found = staff.file_acceptance_letter(
            school=found,
            upload=h.pdf_upload("letter.pdf"),
            signed_on=association_today(),
            by=SYSTEM,
        )
    return found


def student(the_quota, n: int) -> Student:
    return accept(h.nominate(the_quota, email=f"student{n}@kragujevac.example"))


def world(member, *, slug: str = "placing") -> SimpleNamespace:
    """`h.build`'s objects, with the student accepted and the family approved."""
    found = h.build(member.slug, slug=slug)
    found.student = accept(found.student)
    found.approval = families.approve_family(family=found.family, by=SYSTEM)
    found.starts_on = datetime.date(2027, 8, 15)
    return found


def place(found, *, student=None, approval=None, by=SYSTEM):
    from twinning.exchanges.services.placement import place_student

    return place_student(
        student=student or found.student,
        approval=approval or found.approval,
        school=found.school,
        coordinator=found.coordinator,
        starts_on=found.starts_on,
        by=by,
    )
