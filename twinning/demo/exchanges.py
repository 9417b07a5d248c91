"""The demo's high-school exchange (issue 10; through the services, SYSTEM as the actor;
idempotent): this academic year's season, hosted by the committee admin persona's committee
(Springfield), with places for students from two of its sister cities; students nominated by
each sending city (most accepted after their guardian's consent, one still waiting for it);
host families at every step of the screening (just applied, household being checked,
references out, visited, approved); two schools (one with its signed acceptance letter), a
local coordinator whose training is current and one whose training expired; four students
placed through the matching's suggestions, arrived, with their orientations and monthly
contacts (one family's contact of last month missing) and one open incident; the committee
admin persona is the committee's exchange coordinator (so the demo shows the restricted
details to them, and to welfare staff)."""

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Paragraph, SimpleDocTemplate

from twinning.core.authz import SYSTEM
from twinning.core.dates import add_months, association_today
from twinning.core.pdf import stylesheet
from twinning.demo import personas
from twinning.exchanges.models import (
    Coordinator,
    HostFamily,
    Incident,
    MonthlyContact,
    Orientation,
    Placement,
    Quota,
    School,
    Season,
    Student,
)
from twinning.exchanges.services import families, incidents, monitoring, placement, staff, students
from twinning.network.models import Community, Member, Partnership
from twinning.youth.services import answer_consent

SEASON_SLUG = "academic-year-2026-27"
SCOPES = {"participation", "medical", "photos"}


@dataclass
class ExchangeDemo:
    """What the demo built, for the monitoring part and the tests."""

    season: Season
    host: Member
    coordinators: list[Coordinator] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    approved: list[HostFamily] = field(default_factory=list)
    accepted: list[Student] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


def _user(email: str, full_name: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, password=personas.DEMO_PASSWORD)
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    return user


def _letter_pdf(school: str) -> SimpleUploadedFile:
    """A one-page acceptance letter (generated: nothing real is shipped)."""
    buffer = io.BytesIO()
    styles = stylesheet()
    SimpleDocTemplate(buffer, pagesize=LETTER).build(
        [
            Paragraph(school, styles["Title"]),
            Paragraph(
                "We accept the exchange student placed with us for the academic year 2026-27 "
                "and will enrol them in the grade their school reports show.",
                styles["Normal"],
            ),
        ]
    )
    return SimpleUploadedFile("acceptance-letter.pdf", buffer.getvalue(), "application/pdf")


def _season() -> Season:
    found = Season.objects.filter(slug=SEASON_SLUG).first()
    return found or students.create_season(
        name="Academic year 2026-27",
        slug=SEASON_SLUG,
        kind=Season.Kind.YEAR,
        arrival_date=datetime.date(2026, 8, 17),
        departure_date=datetime.date(2027, 6, 11),
        by=SYSTEM,
    )


def _host() -> Member | None:
    return Member.objects.filter(admins__email=personas.COMMITTEE_ADMIN.email).first()


def _partnerships(host: Member, count: int) -> list[Partnership]:
    """The host's partnerships with communities in other countries, oldest first."""
    home = list(host.communities.all())
    countries = {c.country_id for c in home}
    found = (
        Partnership.objects.filter(Q(community_a__in=home) | Q(community_b__in=home))
        .select_related("community_a", "community_b")
        .order_by("pk")
    )
    abroad = [p for p in found if {p.community_a.country_id, p.community_b.country_id} - countries]
    return abroad[:count]


def _coordinators(host: Member) -> list[Coordinator]:
    today = association_today()
    people = [
        # The committee admin persona is the committee's exchange coordinator.
        (personas.COMMITTEE_ADMIN.email, personas.COMMITTEE_ADMIN.full_name, True, 200),
        ("morgan.mentor@twinning.example", "Morgan Mentor", False, 300),
        ("terry.lapsed@twinning.example", "Terry Lapsed", False, -30),  # training expired
    ]
    found = []
    for email, name, is_exchange, days_left in people:
        coordinator = Coordinator.objects.filter(member=host, user__email=email).first()
        if coordinator is None:
            _user(email, name)
            coordinator = staff.add_coordinator(
                member=host, email=email, name=name, is_exchange_coordinator=is_exchange, by=SYSTEM
            )
            expires = today + datetime.timedelta(days=days_left)
            staff.record_training(
                coordinator=coordinator,
                course="Exchange-visitor program: local coordinator training",
                completed_on=expires - datetime.timedelta(days=365),
                expires_on=expires,
                by=SYSTEM,
            )
        found.append(coordinator)
    return found


def _schools(host: Member) -> list[School]:
    city = host.communities.first()
    schools = []
    for name, with_letter in ((f"{city} High School", True), (f"{city} Central Academy", False)):
        school = School.objects.filter(member=host, name=name).first()
        if school is None:
            slug = name.lower().replace(" ", "")[:20]
            school = staff.add_school(
                member=host,
                name=name,
                address=f"100 School Street, {city}",
                contact_name="Dana Principal",
                contact_email=f"principal@{slug}.example",
                by=SYSTEM,
            )
            if with_letter:
                school = staff.file_acceptance_letter(
                    school=school,
                    upload=_letter_pdf(name),
                    signed_on=association_today() - datetime.timedelta(days=120),
                    by=SYSTEM,
                )
        schools.append(school)
    return schools


# (family name, pets, smoking, capacity, languages, how far the screening went)
FAMILIES = [
    ("Alvarez", "", False, 1, "English, Spanish", "applied"),
    ("Baker", "a cat", False, 1, "English", "household"),
    ("Chen", "", False, 2, "English, Mandarin", "references"),
    ("Dubois", "two dogs", False, 1, "English, French", "visited"),
    ("Evans", "", False, 2, "English", "approved"),
    ("Fischer", "", False, 1, "English, German", "approved"),
    ("Garcia", "a dog", False, 1, "English, Spanish", "approved"),
    ("Hughes", "", True, 1, "English", "approved"),
]
STEPS = ["applied", "household", "references", "visited", "approved"]


def _screen(family: HostFamily, upto: str, visitor: Coordinator) -> None:
    """Take a family's screening as far as `upto`, through the families services."""
    today = association_today()
    step = STEPS.index(upto)
    if step >= 1:
        adults = [
            families.add_household_member(
                family=family,
                name=f"{name} {family.family_name}",
                date_of_birth=born,
                relationship=relationship,
                by=family.user,
            )
            for name, born, relationship in (
                ("Pat", datetime.date(1978, 4, 2), "parent"),
                ("Chris", datetime.date(1980, 9, 14), "parent"),
            )
        ]
        families.add_household_member(
            family=family,
            name=f"Sky {family.family_name}",
            date_of_birth=datetime.date(2012, 1, 20),
            relationship="child",
            by=family.user,
        )
        for adult in adults[: 1 if step == 1 else 2]:  # one check still missing at "household"
            families.record_background_check(
                person=adult,
                checked_on=today - datetime.timedelta(days=40),
                provider="Sterling Volunteers",
                result="clear",
                by=SYSTEM,
            )
    if step >= 2:
        slug = family.family_name.lower()
        for n, answered in ((1, True), (2, step >= 3)):
            reference = families.ask_reference(
                family=family,
                name=f"Neighbour {n} of the {family.family_name}s",
                email=f"referee{n}.{slug}@twinning.example",
                by=family.user,
            )
            if answered:
                families.answer_reference(
                    token=reference.token,  # type: ignore[attr-defined]
                    recommends=True,
                    statement="We have known the family for ten years: kind and dependable.",
                )
    if step >= 3:
        families.record_home_visit(
            family=family,
            coordinator=visitor,
            visited_on=today - datetime.timedelta(days=25),
            findings="A quiet home; the student's room has a bed, a desk and a window.",
            suitable=True,
            by=SYSTEM,
        )
    if step >= 4:
        families.approve_family(family=family, by=SYSTEM)


def _families(host: Member, visitor: Coordinator) -> list[HostFamily]:
    approved: list[HostFamily] = []
    city = host.communities.first()
    for name, pets, smoking, capacity, languages, upto in FAMILIES:
        email = f"{name.lower()}.family@twinning.example"
        family = HostFamily.objects.filter(member=host, user__email=email).first()
        if family is None:
            family = families.apply_as_host_family(
                member=host,
                family_name=name,
                address=f"{10 + len(approved)} Maple Avenue, {city}",
                phone="+1 217 555 0100",
                languages=languages,
                pets=pets,
                smoking=smoking,
                room="A bedroom of their own with a desk, next to the bathroom.",
                capacity=capacity,
                by=_user(email, f"The {name} family"),
            )
            _screen(family, upto, visitor)
        if upto == "approved":
            approved.append(family)
    return approved


# (first name, last name, born, allergies, consent given)
STUDENTS = [
    ("Amara", "Okafor", datetime.date(2010, 3, 14), "", True),
    ("Luca", "Bianchi", datetime.date(2009, 11, 2), "cats", True),
    ("Sofia", "Marín", datetime.date(2010, 6, 30), "", True),
    ("Kenji", "Sato", datetime.date(2009, 8, 21), "", True),
    ("Elif", "Yılmaz", datetime.date(2010, 1, 9), "dogs", True),
    ("Mateo", "Ruiz", datetime.date(2010, 4, 18), "", True),
    ("Nadia", "Haddad", datetime.date(2009, 12, 5), "", False),  # guardian not answered yet
]


def _students(season: Season, host: Member) -> list[Student]:
    accepted: list[Student] = []
    partnerships = _partnerships(host, 2)
    home = set(host.communities.values_list("pk", flat=True))
    quotas = []
    for partnership in partnerships:
        quota = Quota.objects.filter(season=season, host=host, partnership=partnership).first()
        quota = quota or students.offer_places(
            season=season, host=host, partnership=partnership, places=4, by=SYSTEM
        )
        abroad: Community = (
            partnership.community_b
            if partnership.community_a_id in home
            else partnership.community_a
        )
        if not quota.contacts.exists():
            students.add_sending_contact(
                quota=quota,
                name=f"Exchange officer of {abroad.name}",
                email=f"exchanges.{abroad.pk}@twinning.example",
                by=SYSTEM,
            )
        quotas.append(quota)
    if not quotas:
        return accepted
    for n, (first, last, born, allergies, consents) in enumerate(STUDENTS):
        quota = quotas[n % len(quotas)]
        email = f"{first.lower()}.{n}@students.twinning.example"
        student = Student.objects.filter(season=season, person__user__email=email).first()
        if student is None:
            student = students.nominate_student(
                quota=quota,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                email=email,
                guardian_email=f"guardian.{first.lower()}.{n}@students.twinning.example",
                emergency_contacts=f"{last} (parent), +39 055 000 00{n:02d}",
                interview_notes="Curious, speaks good English, plays in the school orchestra.",
                allergies=allergies,
                by=SYSTEM,
            )
            if consents:
                consent = students.resend_consent_link(student=student, by=SYSTEM)
                answer_consent(
                    token=consent.token,  # type: ignore[attr-defined]
                    granted=SCOPES,
                    program="exchanges",
                )
                student = students.change_status(
                    student=student,
                    status=Student.Status.ACCEPTED,
                    message="Welcome to the exchange: your host committee will be in touch.",
                    by=SYSTEM,
                )
        if student.status != Student.Status.NOMINATED:
            accepted.append(student)
    return accepted


PLACED = 4  # of the accepted students; the others wait for a family on the matching page


def _placements(demo: ExchangeDemo) -> list[Placement]:
    """Place the first accepted students with the best-ranked family that has room (through
    the matching's suggestions), then take them through visa and arrival, with their
    orientations (one arrival orientation left unrecorded, for the compliance page)."""
    school = next(s for s in demo.schools if s.has_letter)
    visitor = demo.coordinators[1]
    made = []
    for n, student in enumerate(demo.accepted[:PLACED]):
        current = Placement.objects.current().filter(student=student).first()
        if current is None:
            suggestions = [
                s
                for s in placement.suggest_families(student=student, by=SYSTEM, reveal=False)
                if s.free > 0 and s.score > -50
            ]
            if not suggestions:
                continue
            best = suggestions[0]
            placement.record_orientation(
                student=student,
                kind=Orientation.Kind.PRE_ARRIVAL,
                held_on=demo.season.arrival_date - datetime.timedelta(days=30),
                notes="Online session with the sending committee: rules, school, family life.",
                by=SYSTEM,
            )
            current = placement.place_student(
                student=student,
                approval=best.approval,
                school=school,
                coordinator=visitor,
                starts_on=demo.season.arrival_date,
                reasons=best.neutral_reasons(),
                by=SYSTEM,
            )
            for status, message in (
                (Student.Status.VISA_ISSUED, "Your J-1 visa is issued."),
                (Student.Status.ARRIVED, "Welcome to Springfield!"),
            ):
                students.change_status(student=student, status=status, message=message, by=SYSTEM)
            if n:  # the first student's arrival orientation is still missing
                placement.record_orientation(
                    student=student,
                    kind=Orientation.Kind.POST_ARRIVAL,
                    held_on=demo.season.arrival_date + datetime.timedelta(days=7),
                    notes="Meeting at the committee with the host families and the school.",
                    by=SYSTEM,
                )
        made.append(current)
    return made


def _contacts(demo: ExchangeDemo) -> None:
    """The coordinator's monthly contacts since arrival, with the student and with the family;
    the last placed student's family was not contacted last month (red on the dashboard) and
    this month's contacts are still to come for most."""
    today = association_today()
    for n, made in enumerate(demo.placements):
        month = made.starts_on.replace(day=1)
        while month < today.replace(day=1):
            for side in (MonthlyContact.With.STUDENT, MonthlyContact.With.FAMILY):
                last_month = add_months(month, 1) == today.replace(day=1)
                if n == len(demo.placements) - 1 and last_month and side == "family":
                    continue  # overdue: the dashboard shows it red
                if made.contacts.filter(month=month, contact_with=side).exists():
                    continue
                monitoring.record_contact(
                    placement=made,
                    contact_with=side,
                    contacted_on=max(month.replace(day=12), made.starts_on),
                    method=MonthlyContact.Method.IN_PERSON
                    if n % 2
                    else MonthlyContact.Method.PHONE,
                    notes="Settling in; school going well; no concerns.",
                    by=SYSTEM,
                )
            month = add_months(month, 1)


def _incident(demo: ExchangeDemo) -> None:
    """One open incident: a student hospitalised after a sports injury, a report to the
    Department of State owed."""
    if not demo.placements or Incident.objects.filter(student__season=demo.season).exists():
        return
    incidents.report_incident(
        student=demo.placements[0].student,
        type=Incident.Type.HOSPITALISATION,
        severity=Incident.Severity.SERIOUS,
        occurred_on=association_today() - datetime.timedelta(days=1),
        description="Broke a wrist at football practice; kept overnight at the hospital.",
        people_involved="The coach, the host parents.",
        actions_taken="Host parents and the natural parents informed; follow-up visit booked.",
        by=SYSTEM,
    )


def seed_exchanges() -> ExchangeDemo | None:
    """Build (or find) the season, its places, students, families, schools and coordinators."""
    host = _host()
    if host is None:
        return None
    coordinators = _coordinators(host)
    demo = ExchangeDemo(season=_season(), host=host, coordinators=coordinators)
    demo.schools = _schools(host)
    demo.approved = _families(host, visitor=coordinators[1])
    demo.accepted = _students(demo.season, host)
    demo.placements = _placements(demo)
    _contacts(demo)
    _incident(demo)
    return demo
