"""Demo funding programs (issue 9, section 2; through the services, SYSTEM as the actor;
idempotent): the African Urban Poverty Alleviation Program (U.S.-African pairs) with a past
call whose grants are running (reports approved, due and overdue) and an open call with
applications at every stage (a draft, one waiting for the partner's signature, submitted and
under review), and the Young Ambassadors Program: Tri-lateral North America (a U.S., a
Canadian and a Mexican city together) with an open call."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.demo import personas
from twinning.demo.members import make_current
from twinning.grants.models import Application, Call, Program, Report
from twinning.grants.services import (
    accept_proposal,
    approve_report,
    create_call,
    create_program,
    open_review,
    publish_decisions,
    save_call,
    sign_application,
    start_application,
    submit_application,
    submit_report,
    update_application,
    update_side,
)
from twinning.network.models import Community, Country, Member, Partnership, Region
from twinning.network.services import create_community, create_member, record_partnership

PAIR_SLUG = "african-urban-poverty-alleviation"
TRIO_SLUG = "young-ambassadors-north-america"
COUNTRIES = {
    "US": ("United States", Region.AMERICAS),
    "CA": ("Canada", Region.AMERICAS),
    "MX": ("Mexico", Region.AMERICAS),
    "KE": ("Kenya", Region.AFRICA),
    "GH": ("Ghana", Region.AFRICA),
    "TZ": ("Tanzania", Region.AFRICA),
}
QUESTIONS = [
    "What will the partners do together, and when?",
    "Who benefits in each community?",
    "What remains after the grant ends?",
]


def _country(code: str) -> Country:
    name, region = COUNTRIES[code]
    # Reference data (the import loads every country; a demo without it needs these few).
    return Country.objects.get_or_create(code=code, defaults={"name": name, "region": region})[0]


def _community(name: str, code: str, lat: float, lon: float) -> Community:
    found = Community.objects.filter(country_id=code, name=name).first()
    return found or create_community(
        name=name, country=_country(code), latitude=lat, longitude=lon, by=SYSTEM
    )


def _partners(one: Community, other: Community) -> None:
    if not Partnership.objects.between(one, other).exists():
        record_partnership(community=one, partner=other, source="demo", by=SYSTEM)


def _committee(place: Community) -> Member:
    """The place's committee, in good standing (membership current and paid; the place's
    partnerships are recorded active above): the programs require it of every side."""
    member = place.members.order_by("pk").first() or create_member(
        name=f"{place.name} Sister Cities", communities=[place], by=SYSTEM
    )
    make_current(member)
    return member


def _lines(description: str, cost: int, requested: int) -> list[dict[str, Any]]:
    return [{"description": description, "cost": Decimal(cost), "requested": Decimal(requested)}]


def _application(call: Call, places: list[Community], title: str, *, sign: int = 99) -> Application:
    """A draft by the first community's committee, every side budgeted in its currency and
    the first `sign` sides signed."""
    for partner in places[1:]:
        committee = partner.members.order_by("pk").first()
        if committee is not None:  # a side without a committee signs by link, unchecked
            make_current(committee)
    application = start_application(
        call=call,
        member=_committee(places[0]),
        community=places[0],
        partners=places[1:],
        title=title,
        by=SYSTEM,
    )
    themes = call.program.themes
    update_application(
        application=application,
        title=title,
        theme=themes[0] if themes else "",
        summary=f"{title}: a joint project of {', '.join(p.name for p in places)}.",
        answers=dict.fromkeys(call.questions, "Planned with every partner."),
        by=SYSTEM,
    )
    currencies = {"US": "USD", "CA": "CAD", "MX": "MXN", "KE": "KES", "GH": "GHS", "TZ": "TZS"}
    amounts = {
        "USD": (30000, 24000),
        "CAD": (20000, 16000),
        "MXN": (300000, 240000),
        "KES": (2500000, 2000000),
        "GHS": (150000, 120000),
        "TZS": (30000000, 24000000),
    }
    sides = list(application.sides.order_by("-is_lead", "pk"))
    for side in sides:
        currency = currencies[side.community.country_id]
        cost, requested = amounts[currency]
        update_side(
            side=side,
            currency=currency,
            participants=12,
            participant_plan="Staff and youth",
            lines=_lines("Exchange visits and materials", cost, requested),
            by=SYSTEM,
        )
    for side in sides[:sign]:
        sign_application(side=side, by=SYSTEM)
    return application


def _call(program: Program, slug: str, title: str, rates: dict[str, str]) -> Call:
    now = timezone.now()
    return create_call(
        program=program,
        title=title,
        slug=slug,
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=45),
        max_per_application=Decimal("115000"),
        cofinancing_percent=Decimal("20"),
        questions=QUESTIONS,
        rates={k: Decimal(v) for k, v in rates.items()},
        lump_sums=[
            (2, 25, Decimal("15000")),
            (2, 50, Decimal("25000")),
            (3, 25, Decimal("20000")),
            (3, 50, Decimal("35000")),
        ],
        by=SYSTEM,
    )


def _pair_program() -> None:
    home = Member.objects.filter(admins__email=personas.COMMITTEE_ADMIN.email).first()
    us = [
        (home.communities.order_by("pk").first() if home else None)
        or _community("Springfield", "US", 39.80, -89.64),
        _community("Tacoma", "US", 47.25, -122.44),
        _community("Dayton", "US", 39.76, -84.19),
        _community("Columbia", "US", 34.00, -81.03),
    ]
    africa = [
        _community("Nakuru", "KE", -0.30, 36.07),
        _community("Kumasi", "GH", 6.69, -1.62),
        _community("Arusha", "TZ", -3.37, 36.68),
        _community("Kisumu", "KE", -0.09, 34.77),
    ]
    for one, other in zip(us, africa, strict=True):
        _partners(one, other)
    program = create_program(
        name="African Urban Poverty Alleviation Program",
        slug=PAIR_SLUG,
        funder="A U.S. development agency",
        description="Up to $115,000 per U.S.-African city pair, chosen by an independent panel.",
        budget=Decimal("460000"),
        currency="USD",
        themes=["Water, sanitation and health", "Economic development", "Sustainability"],
        shape=Program.Shape.PAIR,
        eligible_regions=["africa"],
        by=SYSTEM,
    )
    rates = {"KES": "0.0077", "GHS": "0.065", "TZS": "0.00038"}
    past = _call(program, f"{PAIR_SLUG}-2025", "2025 call", rates)
    funded = [
        _application(past, [us[i], africa[i]], t)
        for i, t in enumerate(["Clean water kiosks", "Market women's cooperative", "Solar clinics"])
    ]
    for application in funded:
        submit_application(application=application, by=SYSTEM)
    open_review(call=past, by=SYSTEM)
    accept_proposal(call=past, by=SYSTEM)
    publish_decisions(call=past, by=SYSTEM)
    past.closes_at = timezone.now() - datetime.timedelta(days=1)
    past.opens_at = past.closes_at - datetime.timedelta(days=60)
    save_call(call=past, by=SYSTEM)
    _reports(funded)
    current = _call(program, f"{PAIR_SLUG}-2026", "2026 call", rates)
    _application(current, [us[3], africa[3]], "Waste to energy (draft)", sign=0)
    _application(current, [us[0], africa[0]], "Youth water ambassadors", sign=1)
    for index, title in ((1, "Small business incubator"), (2, "Health workers exchange")):
        submit_application(
            application=_application(current, [us[index], africa[index]], title), by=SYSTEM
        )
    open_review(call=current, by=SYSTEM)


def _reports(applications: list[Application]) -> None:
    """The first grant's interim reports approved (its second tranche payable); the second
    grant's reports due in three weeks; the third's interim reports overdue. Due dates are
    moved here: the calendar of a demo cannot wait six months."""
    today = association_today()
    first, second, third = (a.grant for a in applications)
    for report in first.reports.filter(kind=Report.Kind.INTERIM):
        line = report.side.lines.first()
        submit_report(
            report=report,
            narrative="Two visits done; the kiosks are built.",
            participants=14,
            outcomes="Four kiosks serve 3,000 households.",
            spending={line.pk: line.requested / 2} if line else {},
            by=SYSTEM,
        )
        approve_report(report=report, by=SYSTEM)
    second.reports.filter(kind=Report.Kind.INTERIM).update(
        due_on=today + datetime.timedelta(days=21)
    )
    third.reports.filter(kind=Report.Kind.INTERIM).update(
        due_on=today - datetime.timedelta(days=10)
    )


def _trio_program() -> None:
    us = [
        _community("El Paso", "US", 31.76, -106.49),
        _community("San Diego", "US", 32.72, -117.16),
    ]
    ca = [_community("Calgary", "CA", 51.05, -114.07), _community("Winnipeg", "CA", 49.90, -97.14)]
    mx = [
        _community("Chihuahua", "MX", 28.63, -106.09),
        _community("Tijuana", "MX", 32.51, -117.04),
    ]
    for trio in zip(us, ca, mx, strict=True):
        _partners(trio[0], trio[1])
        _partners(trio[0], trio[2])
    program = create_program(
        name="Young Ambassadors Program: Tri-lateral North America",
        slug=TRIO_SLUG,
        funder="A North American foundation",
        description="A U.S., a Canadian and a Mexican city send young ambassadors together.",
        budget=Decimal("150000"),
        currency="USD",
        themes=["Youth", "Sustainability"],
        shape=Program.Shape.TRIO,
        required_countries=["US", "CA", "MX"],
        by=SYSTEM,
    )
    call = _call(program, f"{TRIO_SLUG}-2026", "2026 call", {"CAD": "0.73", "MXN": "0.055"})
    _application(call, [us[0], ca[0], mx[0]], "Border cities youth forum", sign=2)
    submit_application(
        application=_application(call, [us[1], ca[1], mx[1]], "Pacific youth climate lab"),
        by=SYSTEM,
    )


def seed_grants() -> None:
    if Program.objects.filter(slug__in=[PAIR_SLUG, TRIO_SLUG]).exists():
        return
    _pair_program()
    _trio_program()
