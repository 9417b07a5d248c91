"""Builders for the exchange's tests, on the real services (C18)."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.upload_corpus import PAGE_OBJECTS, raw_pdf
from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.exchanges.models import HostFamily, Season
from twinning.exchanges.services import families, staff, students

ARRIVAL = datetime.date(2027, 8, 15)
DEPARTURE = datetime.date(2028, 6, 15)
# Distinctive restricted values: never on a page a family, a sending contact or another
# committee can reach.
CANARY_MEDICAL = "CANARY-MED-7f3a asthma inhaler"
CANARY_ALLERGY = "CANARY-ALG-91bd peanuts"
CANARY_PASSPORT = "CNRYPASS4411"
CANARY_SPONSOR = "CNRYDS2019X77"
CANARIES = (CANARY_MEDICAL, CANARY_ALLERGY, CANARY_PASSPORT, CANARY_SPONSOR)


def pdf_upload(name: str = "essay.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw_pdf(list(PAGE_OBJECTS)), "application/pdf")


def png_upload(name: str = "room.png") -> SimpleUploadedFile:
    from tests.core.upload_corpus import jpeg

    return SimpleUploadedFile(name, jpeg(), "image/jpeg")


def season(slug: str = "2027-28", **overrides) -> Season:
    values = {
        "name": "Academic year 2027-28",
        "slug": slug,
        "kind": Season.Kind.YEAR,
        "arrival_date": ARRIVAL,
        "departure_date": DEPARTURE,
    }
    values.update(overrides)
    return students.create_season(**values, by=SYSTEM)


def quota(host, the_season=None, places: int = 3, partner=None):
    """Places `host` offers its sister city `partner` (a new one abroad by default)."""
    the_season = the_season or season()
    home = host.communities.first()
    partner = partner or CommunityFactory(name="Kragujevac")
    pair = sorted([home, partner], key=lambda c: c.pk)
    partnership = PartnershipFactory(community_a=pair[0], community_b=pair[1])
    return students.offer_places(
        season=the_season, host=host, partnership=partnership, places=places, by=SYSTEM
    )


def contact(the_quota, email: str = "contact@kragujevac.example", *, user=None):
    """A sending contact whose link has been used (as after the POST on the link page)."""
    found = students.add_sending_contact(
        quota=the_quota, name="Milica Petrović", email=email, by=SYSTEM
    )
    token = students.send_contact_link(contact=found, by=SYSTEM)
    used = students.use_contact_link(token=token)
    if user is not None:
        used.user = user
        used.save()
    return used


def nominate(
    the_quota, the_contact=None, *, email="ana@kragujevac.example", by=SYSTEM, **overrides
):
    values = {
        "first_name": "Ana",
        "last_name": "Jovanović",
        "date_of_birth": datetime.date(2011, 3, 1),
        "email": email,
        "guardian_email": f"parent.{email}",
        "emergency_contacts": "Mother, +381 11 000 000",
        "interview_notes": "Curious and kind.",
        "medical_notes": CANARY_MEDICAL,
        "allergies": CANARY_ALLERGY,
        "passport_number": CANARY_PASSPORT,
    }
    values.update(overrides)
    student = students.nominate_student(quota=the_quota, **values, by=by, contact=the_contact)
    students.update_restricted(student=student, by=SYSTEM, sponsor_form_number=CANARY_SPONSOR)
    return student


def grant_consent(student, scopes=("participation", "medical", "photos")):
    from twinning.youth.services import answer_consent, request_consent

    consent = request_consent(person=student.person, program=students.PROGRAM, by=SYSTEM)
    answer_consent(token=consent.token, granted=set(scopes), program=students.PROGRAM)


def coordinator(member, email: str = "coord@springfield.example", *, exchange=False, trained=True):
    user = UserFactory(email=email)
    found = staff.add_coordinator(
        member=member,
        email=email,
        name="Carol Coordinator",
        is_exchange_coordinator=exchange,
        by=SYSTEM,
    )
    if trained:
        staff.record_training(
            coordinator=found,
            course="Sponsor's coordinator training",
            completed_on=association_today() - datetime.timedelta(days=30),
            expires_on=association_today() + datetime.timedelta(days=335),
            by=SYSTEM,
        )
    found.user = user
    return found


def family(member, email: str = "family@springfield.example", *, user=None) -> HostFamily:
    user = user or UserFactory(email=email)
    return families.apply_as_host_family(
        member=member,
        family_name="Simpson",
        address="742 Evergreen Terrace",
        phone="+1 555 0100",
        languages="English, Spanish",
        pets="a dog",
        smoking=False,
        room="Own room with a desk",
        capacity=1,
        by=user,
    )


def screened_family(member, the_coordinator=None, **kwargs) -> HostFamily:
    """A family with every step of the screening done (not yet approved)."""
    found = family(member, **kwargs)
    adult = families.add_household_member(
        family=found,
        name="Marge Simpson",
        date_of_birth=datetime.date(1980, 3, 19),
        relationship="mother",
        by=found.user,
    )
    families.record_background_check(
        person=adult,
        checked_on=association_today(),
        provider="Sterling",
        result="clear",
        by=SYSTEM,
    )
    for n in (1, 2):
        reference = families.ask_reference(
            family=found, name=f"Ned {n}", email=f"ned{n}@example.org", by=found.user
        )
        families.answer_reference(
            token=reference.token, recommends=True, statement="Good neighbours."
        )
    the_coordinator = the_coordinator or coordinator(member, email=f"visit.{found.pk}@example.org")
    families.record_home_visit(
        family=found,
        coordinator=the_coordinator,
        visited_on=association_today(),
        findings="Clean, quiet, own room.",
        suitable=True,
        by=SYSTEM,
    )
    return found


def other_member():
    return MemberFactory(name="Shelbyville Twinning Association")


def build(member_slug: str, *, slug: str = "matrix-season") -> SimpleNamespace:
    """Every kind of exchange object for `member_slug`'s committee: a season and its places,
    a used contact link, a nominated student with a document, a screened family with a photo
    of the room, a school with its signed letter, a trained coordinator."""
    from twinning.exchanges.models import HomeVisitPhoto
    from twinning.network.models import Member

    member = Member.objects.get(slug=member_slug)
    the_quota = quota(member, season(slug=slug))
    the_contact = contact(the_quota)
    student = nominate(the_quota, the_contact)
    document = students.add_document(student=student, kind="essay", upload=pdf_upload(), by=SYSTEM)
    the_coordinator = coordinator(member, email=f"coordinator.{slug}@example.org")
    the_family = screened_family(member, the_coordinator, email=f"family.{slug}@example.org")
    visit = the_family.home_visits.get()
    families.record_home_visit(
        family=the_family,
        coordinator=the_coordinator,
        visited_on=visit.visited_on,
        findings="Photo of the room.",
        suitable=True,
        photos=[png_upload()],
        by=SYSTEM,
    )
    school = staff.add_school(
        member=member,
        name="Springfield High",
        address="1 School Road",
        contact_name="Principal Skinner",
        contact_email="skinner@springfield.example",
        by=SYSTEM,
    )
    school = staff.file_acceptance_letter(
        school=school, upload=pdf_upload("letter.pdf"), signed_on=association_today(), by=SYSTEM
    )
    return SimpleNamespace(
        member=member,
        season=the_quota.season,
        quota=the_quota,
        contact=the_contact,
        student=student,
        document=document,
        coordinator=the_coordinator,
        family=the_family,
        photo=HomeVisitPhoto.objects.get(visit__family=the_family),
        school=school,
    )
