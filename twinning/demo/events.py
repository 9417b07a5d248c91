"""Demo events (issue 8, through the services, SYSTEM as the actor; idempotent): this year's
annual conference in St. Louis with its Youth Leadership Summit and awards banquet (tickets,
questions, a published programme, delegations and individual registrations up to capacity, a
waiting list, a few cancellations with credit notes, the summit's chaperones and residence
rooms, the banquet's tables, honorees, seating and run of show), a regional conference for the
Midwest (the demo committee admin coordinates the region), and a monthly webinar series given
with partner organisations (three past webinars with attendance and recordings, three
upcoming)."""

import datetime
import math
import zoneinfo
from decimal import Decimal
from itertools import cycle
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from twinning.core.authz import SYSTEM
from twinning.core.dates import add_months, association_today
from twinning.events.models import (
    Attendee,
    Event,
    PartnerOrganisation,
    Question,
    Team,
    Ticket,
    WebinarSeries,
)
from twinning.events.services.banquet import (
    add_honoree,
    add_presentations,
    add_run_of_show_item,
    add_tables,
    seat_guests,
)
from twinning.events.services.delegations import register_delegation
from twinning.events.services.events import create_event, publish_event, update_event
from twinning.events.services.moderation import approve_attendee
from twinning.events.services.programme import (
    create_session,
    create_speaker,
    publish_programme,
    save_room,
    save_track,
)
from twinning.events.services.registration import (
    Person,
    SoldOut,
    cancel_attendee,
    register_for_event,
    seats_taken,
)
from twinning.events.services.staff_settings import change_capacity, save_question, save_ticket
from twinning.events.services.summit import (
    add_chaperone,
    add_room,
    add_team,
    assign_rooms,
    assign_teams,
    first_day,
)
from twinning.events.services.summit_apply import apply_to_summit, is_adult_applicant
from twinning.events.services.waitlist import join_waiting_list
from twinning.events.services.webinars import import_attendance, set_recording
from twinning.members.models import AssociationRegion
from twinning.members.services.regions import save_association_region
from twinning.network.models import Community, Country, Member
from twinning.youth.services import answer_consent, request_consent

CONFERENCE_TITLE = "Annual Conference"
REGIONAL_TITLE = "Midwest Regional Conference"
REGION_NAME = "Midwest"
SERIES_SLUG = "global-partners-webinars"
CHICAGO = "America/Chicago"
MIDWEST = [
    "Illinois",
    "Indiana",
    "Iowa",
    "Michigan",
    "Minnesota",
    "Missouri",
    "Ohio",
    "Wisconsin",
]
FIRST = [
    "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustavo", "Hana", "Ivan", "Jia",
    "Kofi", "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko",
    "Uma", "Viktor", "Wanjiru", "Xavier", "Yara", "Zane",
]  # fmt: skip
LAST = [
    "Okafor", "Silva", "Wang", "Haddad", "Mensah", "Rahman", "Pereira", "Sato", "Petrov",
    "Liu", "Boateng", "Romero", "Garcia", "Karimi", "Nasser", "Iyer", "Murphy", "Costa",
    "Lindqvist", "Tanaka", "Patel", "Novak", "Kamau", "Dubois", "Haddad", "Brooks",
]  # fmt: skip
DELEGATION_SIZES = [28, 22, 34, 16, 25, 19, 31, 12]
WAITING_PARTIES = [3, 1, 4, 2, 2]
PROGRAMME = [
    ("Plenary", "Opening plenary: sixty years of citizen diplomacy"),
    ("Youth", "Growing youth exchanges after the pandemic"),
    ("Economic development", "Trade missions that pay their way"),
    ("Arts and culture", "Murals, jazz and shared festivals"),
    ("Economic development", "Export help for small firms in sister cities"),
    ("Youth", "Virtual classrooms with partner schools"),
    ("Arts and culture", "A peace garden in every city"),
    ("Plenary", "Keynote: cities as diplomats"),
    ("Economic development", "Crowdfunding community projects abroad"),
    ("Youth", "Safeguarding minors on exchanges"),
    ("Arts and culture", "Film nights and language cafés"),
    ("Plenary", "Awards of the year: the finalists present"),
    ("Economic development", "Municipal peer learning on water"),
    ("Youth", "Student ambassadors: a panel"),
    ("Arts and culture", "Sister-city cookbooks"),
    ("Plenary", "Disaster relief between partner cities"),
    ("Economic development", "Tourism promotion on a shoestring"),
    ("Youth", "Scholarships and fundraising for travel"),
    ("Arts and culture", "Museums lending across borders"),
    ("Plenary", "Board report and members' forum"),
    ("Economic development", "Attracting investment through partnerships"),
    ("Youth", "Youth Leadership Summit: the students report"),
    ("Arts and culture", "Music exchanges and touring choirs"),
    ("Plenary", "Closing plenary: next year's host city"),
    ("Economic development", "Airport and port partnerships"),
    ("Youth", "Keeping alumni of exchanges involved"),
    ("Arts and culture", "Writing and poetry across languages"),
    ("Plenary", "Volunteer committees: recruiting the next generation"),
    ("Economic development", "Health-care cooperation"),
    ("Youth", "Sport tournaments as exchanges"),
]
SPEAKERS = [
    ("Dr. Adaeze Nwosu", "University of Lagos", "Researches municipal diplomacy."),
    ("Marco Bellini", "City of Turin", "Runs Turin's international relations office."),
    ("Keiko Yamamoto", "Osaka Prefectural Government", "Leads youth exchange programmes."),
    ("Linda Harper", "Springfield Sister Cities Committee", "Committee chair since 2015."),
    ("Rafael Ortega", "Guadalajara Chamber of Commerce", "Organises trade missions."),
    ("Aisha Kamara", "Freetown City Council", "Coordinates disaster-relief partnerships."),
    ("Thomas Becker", "Regional Export Council", "Helps small firms export."),
    ("Mei Lin", "Community Funding Platform", "Supports community crowdfunding campaigns."),
    ("Samuel Osei", "Youth Leaders Trust", "Mentors student ambassadors."),
    ("Ingrid Solberg", "Bergen Museum Network", "Curates travelling exhibitions."),
    ("Carlos Mendes", "Porto Water Utility", "Shares water-management practice."),
    ("Grace Thompson", "Association board", "Chairs the awards committee."),
]
PARTNERS = [
    (
        "National Export Assistance Agency",
        "https://example.org/export-agency",
        "A federal trade agency helping small businesses sell abroad.",
    ),
    (
        "Community Crowdfunding Platform",
        "https://example.org/crowdfunding",
        "A crowdfunding platform for community and civic projects.",
    ),
    (
        "Youth Leadership Foundation",
        "https://example.org/youth-leadership",
        "A charity training young people to lead in their communities.",
    ),
]
WEBINARS = [
    "Exporting with your sister city",
    "Funding a partnership project from the crowd",
    "Preparing students to lead an exchange",
]
UPCOMING_WEBINARS = [
    "Trade shows abroad: a first-timer's guide",
    "Running a crowdfunding campaign for a youth trip",
    "Youth councils in partner cities",
]


def _at(day: datetime.date, hour: int, minute: int = 0, zone: str = CHICAGO) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone)
    )


def _demo_user(email: str, full_name: str) -> Any:
    """A demo attendee's account (no password: nobody signs in as them), as seed_demo makes
    its personas (the accounts app has no service creating users)."""
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"full_name": full_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _people_users(count: int, prefix: str) -> list[Any]:
    return [
        _demo_user(
            f"{prefix}{i + 1}@attendees.twinning.example",
            f"{FIRST[(i * 7) % len(FIRST)]} {LAST[(i * 5 + 3) % len(LAST)]}",
        )
        for i in range(count)
    ]


# --- The annual conference ---------------------------------------------------------------------


def _conference(start: datetime.date, by: Any) -> Event:
    end = start + datetime.timedelta(days=2)
    event = create_event(
        by=by,
        kind=Event.Kind.CONFERENCE,
        title=CONFERENCE_TITLE,
        summary=(
            "Three days of workshops, plenaries and the awards banquet with committees and "
            "partner cities from around the world, with the Youth Leadership Summit alongside."
        ),
        time_zone=CHICAGO,
        starts_at=_at(start, 8, 30),
        ends_at=_at(end, 18, 0),
        venue_name="America's Center Convention Complex",
        venue_address="701 Convention Plaza\nSt. Louis, MO 63101\nUnited States",
        latitude=38.6316,
        longitude=-90.1909,
    )
    publish_event(event=event, by=by)
    return event


def _parts(conference: Event, by: Any) -> tuple[Event, Event]:
    start = conference.starts_at.astimezone(conference.zone).date()
    summit = create_event(
        by=by,
        kind=Event.Kind.SUMMIT,
        title="Youth Leadership Summit",
        summary="Students aged 15 to 18 from member communities lead a diplomacy simulation "
        "and a service project, alongside the conference.",
        parent=conference,
        time_zone=CHICAGO,
        starts_at=_at(start, 9, 0),
        ends_at=_at(start + datetime.timedelta(days=2), 16, 0),
        venue_name="America's Center Convention Complex, Youth wing",
        venue_address="701 Convention Plaza\nSt. Louis, MO 63101\nUnited States",
        latitude=38.6316,
        longitude=-90.1909,
    )
    banquet = create_event(
        by=by,
        kind=Event.Kind.BANQUET,
        title="Awards Banquet",
        summary="The association's awards of the year, presented over dinner.",
        parent=conference,
        time_zone=CHICAGO,
        starts_at=_at(start + datetime.timedelta(days=1), 19, 0),
        ends_at=_at(start + datetime.timedelta(days=1), 22, 30),
        venue_name="America's Center, Grand Ballroom",
        venue_address="701 Convention Plaza\nSt. Louis, MO 63101\nUnited States",
        latitude=38.6316,
        longitude=-90.1909,
    )
    publish_event(event=summit, by=by)
    publish_event(event=banquet, by=by)
    return summit, banquet


def _tickets(conference: Event, summit: Event, banquet: Event, by: Any) -> dict[str, Ticket]:
    early = _at(association_today() + datetime.timedelta(days=12), 23, 59)
    return {
        "full": save_ticket(
            event=conference,
            by=by,
            name="Full conference",
            description="All three days, the plenaries, workshops and the awards banquet.",
            price=Decimal("495.00"),
            member_price=Decimal("395.00"),
            early_bird_price=Decimal("345.00"),
            early_bird_until=early,
            position=0,
        ),
        "day": save_ticket(
            event=conference,
            by=by,
            name="Day pass",
            description="One day of the conference (banquet not included).",
            price=Decimal("195.00"),
            member_price=Decimal("165.00"),
            position=1,
        ),
        "student": save_ticket(
            event=summit,
            by=by,
            name="Summit student",
            description="A student's place at the Youth Leadership Summit, with board and "
            "lodging in the residence hall (a guardian's consent is asked).",
            price=Decimal("350.00"),
            member_price=Decimal("295.00"),
            for_youth=True,
            quota=60,
            position=2,
        ),
        "guest": save_ticket(
            event=banquet,
            by=by,
            name="Banquet guest",
            description="A guest's seat at the awards banquet.",
            price=Decimal("95.00"),
            position=3,
        ),
    }


def _questions(conference: Event, by: Any) -> Question:
    save_question(
        event=conference,
        by=by,
        scope=Question.Scope.ORDER,
        kind=Question.Kind.TEXT,
        label="Purchase order or invoice reference",
        help_text="Printed on the invoice if your committee needs one.",
        position=0,
    )
    save_question(
        event=conference,
        by=by,
        scope=Question.Scope.ATTENDEE,
        kind=Question.Kind.CHOICE,
        label="Meal preference",
        choices=["No preference", "Vegetarian", "Vegan", "Halal", "Kosher", "Gluten-free"],
        required=True,
        position=1,
    )
    save_question(
        event=conference,
        by=by,
        scope=Question.Scope.ATTENDEE,
        kind=Question.Kind.BOOLEAN,
        label="First time at the annual conference?",
        position=2,
    )
    return save_question(
        event=conference,
        by=by,
        scope=Question.Scope.ATTENDEE,
        kind=Question.Kind.CONSENT,
        label="I agree that my name and committee appear on the attendee list and my badge.",
        position=3,
    )


def _programme(conference: Event, by: Any) -> int:
    """Four tracks in their rooms over the three days: a plenary each morning and each late
    afternoon, the three other tracks side by side in between; each session has two speakers
    (no photos: the speaker pages show initials)."""
    tracks = {
        name: save_track(event=conference, name=name, by=by)
        for name in ("Plenary", "Youth", "Economic development", "Arts and culture")
    }
    rooms = {
        "Plenary": save_room(event=conference, name="Ferrara Theatre", capacity=1400, by=by),
        "Youth": save_room(event=conference, name="Room 120", capacity=120, by=by),
        "Economic development": save_room(event=conference, name="Room 231", capacity=90, by=by),
        "Arts and culture": save_room(event=conference, name="Room 232", capacity=90, by=by),
    }
    speakers = [
        create_speaker(event=conference, name=name, organisation=org, bio=bio, by=by)
        for name, org, bio in SPEAKERS
    ]
    titles: dict[str, list[str]] = {}
    for track, title in PROGRAMME:
        titles.setdefault(track, []).append(title)
    start = conference.starts_at.astimezone(conference.zone).date()
    made = 0

    def session(track: str, day: datetime.date, hour: int, minute: int, minutes: int) -> None:
        nonlocal made
        if not titles.get(track):
            return
        title = titles[track].pop(0)
        begins = _at(day, hour, minute)
        create_session(
            event=conference,
            by=by,
            title=title,
            description=f"{title}: practice and examples from member committees.",
            starts_at=begins,
            ends_at=begins + datetime.timedelta(minutes=minutes),
            track=tracks[track],
            room=rooms[track],
            speakers=[speakers[made % len(speakers)], speakers[(made * 5 + 1) % len(speakers)]],
        )
        made += 1

    for offset in range(3):
        day = start + datetime.timedelta(days=offset)
        session("Plenary", day, 9, 0, 60)
        for hour, minute in ((10, 30), (13, 30), (15, 15)):
            for track in ("Youth", "Economic development", "Arts and culture"):
                session(track, day, hour, minute, 75)
        session("Plenary", day, 16, 45, 60)
    publish_programme(event=conference, by=by)
    return made


def _name(n: int) -> tuple[str, str]:
    return FIRST[n % len(FIRST)], LAST[(n // len(FIRST) + n * 3) % len(LAST)]


def _register(
    conference: Event, tickets: dict[str, Ticket], consent: Question, attendees: int, by: Any
) -> None:
    """Delegations of the member committees (by their admin where they have one, else by the
    association's staff on their behalf), then individuals, until `attendees` seats are
    taken; the capacity is then set to what is taken, so the event is full."""
    members = list(Member.objects.order_by("pk"))
    sizes = cycle(DELEGATION_SIZES)
    n = 0
    for member in cycle(members) if members else []:
        left = attendees - seats_taken(conference)
        if left < 8:
            break
        size = min(next(sizes), left - 4, 50)
        people = []
        for _i in range(size):
            first, last = _name(n)
            ticket = tickets["day"] if n % 6 == 5 else tickets["full"]
            people.append(
                Person(
                    ticket=ticket,
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{n}@{member.slug[:40]}.example".lower(),
                )
            )
            n += 1
        if size % 3 == 0:
            people.append(
                Person(
                    ticket=tickets["guest"],
                    first_name="Guest of",
                    last_name=last,
                    email=f"guest.{n}@{member.slug[:40]}.example",
                )
            )
        admin = member.admins.order_by("pk").first()
        register_delegation(
            event=conference,
            member=member,
            people=people,
            email=f"events@{member.slug[:40]}.example",
            by=admin or by,
        )
    meal = conference.questions.get(label="Meal preference")
    individuals = _people_users(max(0, attendees - seats_taken(conference)) + 6, "delegate")
    for user in individuals:
        if seats_taken(conference) >= attendees:
            break
        first, _space, last = user.full_name.partition(" ")
        register_for_event(
            event=conference,
            ticket=tickets["full"],
            first_name=first,
            last_name=last or "Delegate",
            email=user.email,
            attendee_answers={consent.pk: "yes", meal.pk: "Vegetarian"},
            by=user,
        )


def _cancel_some(conference: Event, by: Any) -> int:
    """A few delegates cancel: each gets a credit note on the committee's invoice."""
    cancelled = 0
    rows = (
        Attendee.objects.filter(event=conference, order__is_delegation=True)
        .holding_seats()
        .order_by("pk")
    )
    for attendee in list(rows[5:200:40]):
        cancel_attendee(attendee=attendee, by=by)
        cancelled += 1
    return cancelled


def _waiting_list(conference: Event, by: Any) -> int:
    change_capacity(event=conference, capacity=seats_taken(conference), by=by)
    extra = _people_users(len(WAITING_PARTIES), "waiting")
    for size, user in zip(WAITING_PARTIES, extra, strict=True):
        try:
            join_waiting_list(
                event=conference, party_size=size, name=user.full_name, email=user.email, by=user
            )
        except (SoldOut, ValidationError):
            continue
    return len(extra)


def _summit(summit: Event, by: Any) -> None:
    """Chaperones with recent background checks and the nurse (accounts of demo adults), and
    the residence-hall rooms (the students come with `_summit_students`)."""
    today = association_today()
    adults = _people_users(4, "chaperone")
    for i, user in enumerate(adults):
        add_chaperone(
            event=summit,
            role="nurse" if i == 3 else "chaperone",
            user=user,
            background_check_on=today - datetime.timedelta(days=30 + 60 * i),
            by=by,
        )
    # Students' rooms of four; adults' rooms of three (chaperones and students of 18).
    rooms = [("female", 4, False)] * 3 + [("male", 4, False)] * 3
    rooms += [("female", 3, True)] * 2 + [("male", 3, True)] * 2
    for i, (gender, beds, adults_only) in enumerate(rooms):
        add_room(
            event=summit,
            name=f"Hall B, room {201 + i}",
            beds=beds,
            gender=gender,
            adults_only=adults_only,
            by=by,
        )


SUMMIT_STUDENTS = 24
GENDERS = ("female", "male")


def _student_communities(count: int) -> list[Community]:
    """Home communities for the summit's students: member communities and their partners
    abroad, alternately, so the teams and rooms have countries to mix."""
    home = list(
        Community.objects.filter(members__isnull=False).distinct().order_by("pk")[: count // 2]
    )
    abroad = list(
        Community.objects.filter(
            Q(partnerships_as_a__community_b__in=home) | Q(partnerships_as_b__community_a__in=home)
        )
        .exclude(country__in=[c.country_id for c in home])
        .distinct()
        .order_by("pk")[: count - len(home)]
    )
    mixed = [c for pair in zip(home, abroad, strict=False) for c in pair]
    mixed += home[len(abroad) :] + abroad[len(home) :]
    return mixed or list(Community.objects.order_by("pk")[:count])


def _summit_students(summit: Event, ticket: Ticket, consent_question: Question, by: Any) -> None:
    """Students apply through the summit's application (one account each, a guardian's
    address, or their own consent for those who are 18); most consent to all three scopes,
    two refuse photos, two guardians have not answered yet; staff confirm those with
    participation consent, then the rooms and both activities' teams are assigned by their
    rules."""
    communities = _student_communities(SUMMIT_STUDENTS)
    if not communities:
        return
    users = _people_users(SUMMIT_STUDENTS, "student")
    day = first_day(summit)
    meal = summit.registration_event.questions.get(label="Meal preference")
    for i, user in enumerate(users):
        first, _space, last = user.full_name.partition(" ")
        age = 14 + i % 5 if i < SUMMIT_STUDENTS - 2 else 16  # the last two wait for a guardian
        born = day.replace(year=day.year - age) - datetime.timedelta(days=20 + 11 * i)
        scopes = {"participation", "medical"} | ({"photos"} if i % 9 else set())
        adult = is_adult_applicant(summit, born)  # 18 on the first day: consents for themself
        application = apply_to_summit(
            event=summit,
            ticket=ticket,
            first_name=first,
            last_name=last or "Student",
            date_of_birth=born,
            community=communities[i % len(communities)],
            guardian_email="" if adult else f"guardian.{i + 1}@families.twinning.example",
            own_consent=scopes if adult else None,
            emergency_contacts=f"Parent of {first}: +1 555 01{i:02d}",
            allergies="Peanuts" if i % 7 == 0 else "",
            dietary_needs="Vegetarian" if i % 4 == 0 else "",
            gender=GENDERS[i % 2] if i != 5 else "",
            attendee_answers={
                consent_question.pk: "yes",
                meal.pk: "Vegetarian" if i % 4 == 0 else "No preference",
            },
            by=user,
        )
        if i >= SUMMIT_STUDENTS - 2:
            continue  # the guardian has not answered yet
        if not adult:
            consent = request_consent(person=application.person, program="summit", by=SYSTEM)
            answer_consent(token=consent.token, granted=scopes, program="summit")  # type: ignore[attr-defined]
        approve_attendee(
            attendee=application.attendee,
            message="Welcome to the Youth Leadership Summit!",
            by=by,
        )
    assign_rooms(event=summit, by=by)
    for kind, names in (
        (Team.Kind.DIPLOMACY, ["Delegation Alpha", "Delegation Beta", "Delegation Gamma"]),
        (Team.Kind.SERVICE, ["Riverbank clean-up", "Food bank", "Library corner"]),
    ):
        for name in names:
            add_team(event=summit, kind=kind, name=name, by=by)
        assign_teams(event=summit, kind=kind, by=by)


def _banquet(banquet: Event, conference: Event, by: Any) -> None:
    guests = Attendee.objects.filter(event__in=[conference, banquet]).holding_seats().count()
    add_tables(event=banquet, count=3, seats=10, stage_rank=0, by=by)
    add_tables(event=banquet, count=max(1, math.ceil(guests / 10)), seats=10, stage_rank=1, by=by)
    members = list(Member.objects.order_by("pk")[:4])
    honours = [
        "Best Overall Program (population 100,000 to 500,000)",
        "Best Youth Exchange",
        "Innovation in Economic Development",
        "Volunteer of the Year",
    ]
    for i, (member, honour) in enumerate(zip(members, honours, strict=False)):
        add_honoree(
            event=banquet,
            name=member.name,
            honour=honour,
            member=member,
            reference=f"demo-award-{i}",
            by=by,
        )
    start = banquet.starts_at
    add_run_of_show_item(event=banquet, title="Doors open", kind="other", starts_at=start, by=by)
    add_run_of_show_item(
        event=banquet,
        title="Welcome from the board chair",
        kind="welcome",
        starts_at=start + datetime.timedelta(minutes=30),
        by=by,
    )
    add_run_of_show_item(
        event=banquet,
        title="Dinner is served",
        kind="meal",
        starts_at=start + datetime.timedelta(minutes=45),
        by=by,
    )
    add_presentations(event=banquet, by=by)
    add_run_of_show_item(event=banquet, title="Jazz quartet", kind="music", by=by)
    seat_guests(event=banquet, by=by)


def seed_conference(*, staff: Any = SYSTEM, attendees: int = 300) -> Event | None:
    """The annual conference with its parts (once)."""
    if Event.objects.filter(kind=Event.Kind.CONFERENCE, title=CONFERENCE_TITLE).exists():
        return None
    start = association_today() + datetime.timedelta(days=45)
    conference = _conference(start, staff)
    summit, banquet = _parts(conference, staff)
    tickets = _tickets(conference, summit, banquet, staff)
    consent = _questions(conference, staff)
    _programme(conference, staff)
    _register(conference, tickets, consent, attendees, staff)
    _cancel_some(conference, staff)
    _summit(summit, staff)
    _summit_students(summit, tickets["student"], consent, staff)
    _waiting_list(conference, staff)
    _banquet(banquet, conference, staff)
    return conference


# --- The regional conference -----------------------------------------------------------------


def seed_regional(*, staff: Any = SYSTEM, coordinator: Any = None) -> Event | None:
    if Event.objects.filter(kind=Event.Kind.REGIONAL, title=REGIONAL_TITLE).exists():
        return None
    us = Country.objects.filter(pk="US").first()
    if us is None:
        return None
    region = AssociationRegion.objects.filter(name=REGION_NAME, country=us).first()
    if region is None:
        region = save_association_region(
            name=REGION_NAME,
            country=us,
            subdivisions=MIDWEST,
            coordinators=[coordinator] if coordinator else [],
            by=staff,
        )
    day = association_today() + datetime.timedelta(days=75)
    event = create_event(
        by=staff,
        kind=Event.Kind.REGIONAL,
        title=REGIONAL_TITLE,
        summary="A day of workshops for the committees of the Midwest.",
        region=region,
        time_zone=CHICAGO,
        starts_at=_at(day, 9, 0),
        ends_at=_at(day, 17, 0),
        venue_name="Chicago Cultural Center, Preston Bradley Hall",
        venue_address="78 E Washington St\nChicago, IL 60602\nUnited States",
        latitude=41.8837,
        longitude=-87.6249,
    )
    ticket = save_ticket(
        event=event, by=staff, name="Regional day", price=Decimal("45.00"), position=0
    )
    change_capacity(event=event, capacity=120, by=staff)
    publish_event(event=event, by=staff)
    for user in _people_users(8, "regional"):
        first, _space, last = user.full_name.partition(" ")
        register_for_event(
            event=event, ticket=ticket, first_name=first, last_name=last, email=user.email, by=user
        )
    return event


# --- The webinar series ----------------------------------------------------------------------


def _webinar(
    series: WebinarSeries,
    partner: PartnerOrganisation,
    title: str,
    when: datetime.datetime,
    by: Any,
) -> Event:
    event = create_event(
        by=by,
        kind=Event.Kind.WEBINAR,
        title=title,
        summary=f"A one-hour webinar given with {partner.name}.",
        series=series,
        partner=partner,
        time_zone="America/New_York",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
        online_url="https://meet.example.org/twinning-webinar",
    )
    save_ticket(event=event, by=by, name="Free registration", price=Decimal("0.00"), position=0)
    publish_event(event=event, by=by)
    return event


def _attendance_csv(event: Event) -> bytes:
    rows = ["Name (original name),User Email,Join Time,Leave Time,Duration (Minutes)"]
    start = event.starts_at.astimezone(event.zone)
    for i, attendee in enumerate(event.attendees.order_by("pk")):
        if i % 4 == 3:
            continue  # registered, did not come
        joined = start + datetime.timedelta(minutes=i % 5)
        left = start + datetime.timedelta(minutes=40 + (i * 7) % 20)
        minutes = round((left - joined).total_seconds() / 60)
        rows.append(
            f"{attendee.name},{attendee.email},{joined:%Y-%m-%d %H:%M:%S},"
            f"{left:%Y-%m-%d %H:%M:%S},{minutes}"
        )
    return ("\n".join(rows) + "\n").encode()


def seed_webinars(*, staff: Any = SYSTEM) -> int:
    """Three past webinars (registrants, attendance imported, a recording) and three upcoming
    ones, monthly, each given with a partner. The partners and the series are made as the admin
    makes them (no service writes them)."""
    series, created = WebinarSeries.objects.get_or_create(
        slug=SERIES_SLUG,
        defaults={
            "title": "Global Partners Webinars",
            "description": "A monthly hour with a partner organisation of the association.",
        },
    )
    if not created and series.events.exists():
        return 0
    partners = [
        PartnerOrganisation.objects.get_or_create(
            name=name, defaults={"website": site, "description": text}
        )[0]
        for name, site, text in PARTNERS
    ]
    today = association_today()
    people = _people_users(12, "webinar")
    made = 0
    for i, title in enumerate(WEBINARS):
        # Registered while upcoming, then held: its date is set back to when it took place.
        held = _at(add_months(today, i - 3).replace(day=15), 12, 0, "America/New_York")
        soon = _at(today + datetime.timedelta(days=2), 12, 0, "America/New_York")
        event = _webinar(series, partners[i], title, soon, staff)
        ticket = event.tickets.get()
        for user in people[i * 3 : i * 3 + 8]:
            first, _space, last = user.full_name.partition(" ")
            register_for_event(
                event=event,
                ticket=ticket,
                first_name=first,
                last_name=last,
                email=user.email,
                by=user,
            )
        update_event(
            event=event, starts_at=held, ends_at=held + datetime.timedelta(hours=1), by=staff
        )
        event.refresh_from_db()
        import_attendance(event=event, data=_attendance_csv(event), by=staff)
        set_recording(
            event=event,
            url=f"https://video.example.org/webinars/{event.slug}",
            public=i != 1,
            by=staff,
        )
        made += 1
    for i, title in enumerate(UPCOMING_WEBINARS):
        when = _at(add_months(today, i + 1).replace(day=15), 12, 0, "America/New_York")
        event = _webinar(series, partners[i], title, when, staff)
        ticket = event.tickets.get()
        for user in people[i * 2 : i * 2 + 4]:
            first, _space, last = user.full_name.partition(" ")
            register_for_event(
                event=event,
                ticket=ticket,
                first_name=first,
                last_name=last,
                email=user.email,
                by=user,
            )
        made += 1
    return made


def seed_events(*, staff: Any = SYSTEM, attendees: int = 300, coordinator: Any = None) -> None:
    """Everything above, each part once."""
    seed_conference(staff=staff, attendees=attendees)
    seed_regional(staff=staff, coordinator=coordinator)
    seed_webinars(staff=staff)
