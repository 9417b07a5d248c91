"""Demo relief appeals and projects (issue 12; through the services, SYSTEM as the actor;
idempotent): two emergency appeals (an earthquake appeal closed and fully reported: every
dollar received spent and approved, every shipment received; a typhoon appeal open), and three
development projects (a well, a clinic's renovation, school kits) with pledges, money received,
expenses and shipments, the school project overdue for an update."""

import datetime
from decimal import Decimal

from twinning.core.authz import SYSTEM
from twinning.core.dates import association_today
from twinning.demo import personas
from twinning.network.models import Community, Country, Member, Partnership, Region
from twinning.network.services import create_community, create_member, record_partnership
from twinning.relief.models import Appeal, Expense
from twinning.relief.services import (
    add_need,
    confirm_need,
    confirm_receipt,
    create_appeal,
    create_shipment,
    decide_expense,
    post_update,
    record_donation,
    record_pledge,
    set_appeal_status,
    set_shipment_status,
)

COUNTRIES = {
    "TR": ("Türkiye", Region.EUROPE),
    "PH": ("Philippines", Region.ASIA),
    "KE": ("Kenya", Region.AFRICA),
    "GH": ("Ghana", Region.AFRICA),
    "MX": ("Mexico", Region.AMERICAS),
}
# (slug, kind, title, place, country, lat, lon, goal, currency, days ago)
APPEALS = [
    (
        "antakya-earthquake",
        "emergency",
        "Antakya earthquake appeal",
        "Antakya",
        "TR",
        36.2,
        36.16,
        50000,
        "USD",
        400,
    ),
    (
        "tacloban-typhoon",
        "emergency",
        "Tacloban typhoon relief",
        "Tacloban",
        "PH",
        11.24,
        125.0,
        30000,
        "USD",
        40,
    ),
    (
        "kisumu-well",
        "project",
        "A well for Kisumu's market",
        "Kisumu",
        "KE",
        -0.09,
        34.77,
        12000,
        "USD",
        120,
    ),
    (
        "tamale-clinic",
        "project",
        "Renovating Tamale's maternity clinic",
        "Tamale",
        "GH",
        9.4,
        -0.85,
        25000,
        "EUR",
        60,
    ),
    (
        "oaxaca-school-kits",
        "project",
        "School kits for Oaxaca",
        "Oaxaca",
        "MX",
        17.07,
        -96.72,
        8000,
        "USD",
        200,
    ),
]
GOODS = {
    "antakya-earthquake": ("Winter tents", 200, "tents"),
    "tacloban-typhoon": ("Water filters", 500, "filters"),
    "kisumu-well": ("Hand pumps", 4, "pumps"),
    "tamale-clinic": ("Hospital beds", 30, "beds"),
    "oaxaca-school-kits": ("School kits", 400, "kits"),
}


def _country(code: str) -> Country:
    name, region = COUNTRIES[code]
    return Country.objects.get_or_create(code=code, defaults={"name": name, "region": region})[0]


def _place(name: str, code: str, lat: float, lon: float) -> Community:
    found = Community.objects.filter(country_id=code, name=name).first()
    return found or create_community(
        name=name, country=_country(code), latitude=lat, longitude=lon, by=SYSTEM
    )


def _organiser() -> Member | None:
    return Member.objects.filter(admins__email=personas.COMMITTEE_ADMIN.email).first()


def _partner_committee(place: Community) -> Member:
    return place.members.order_by("pk").first() or create_member(
        name=f"{place.name} City Council", communities=[place], by=SYSTEM
    )


def seed_relief() -> list[Appeal]:
    organiser = _organiser()
    if organiser is None:
        return []
    home = organiser.communities.order_by("pk").first()
    today = association_today()
    made = []
    for slug, kind, title, name, code, lat, lon, goal, currency, days in APPEALS:
        if Appeal.objects.filter(slug=slug).exists():
            continue
        place = _place(name, code, lat, lon)
        _partner_committee(place)
        partnerships = []
        if home is not None:
            if not Partnership.objects.between(home, place).exists():
                record_partnership(community=home, partner=place, source="demo", by=SYSTEM)
            partnerships = list(Partnership.objects.between(home, place))
        started = today - datetime.timedelta(days=days)
        appeal = create_appeal(
            kind=kind,
            title=title,
            community=place,
            goal=Decimal(goal),
            currency=currency,
            starts_on=started,
            summary=f"{title}: confirmed by {name}'s council, every amount on the public ledger.",
            story=f"Our partners in {name} asked for help. This page shows what they need, "
            "what was given, what was spent and what arrived.",
            partnerships=partnerships,
            organisers=[organiser],
            partner_name=f"{name} council",
            partner_email=f"relief@{slug}.example",
            by=SYSTEM,
        )
        Appeal.objects.filter(pk=appeal.pk).update(slug=slug)
        appeal.refresh_from_db()
        _fill(appeal, started, closed=slug == "antakya-earthquake")
        if slug == "oaxaca-school-kits":
            # The demo's clock: this project last reported 120 days ago (flagged, unlisted).
            Appeal.objects.filter(pk=appeal.pk).update(
                reported_on=today - datetime.timedelta(days=120)
            )
        made.append(appeal)
    return made


def _fill(appeal: Appeal, started: datetime.date, *, closed: bool) -> None:
    title, quantity, unit = GOODS[appeal.slug]
    goods = add_need(
        appeal=appeal, kind="goods", title=title, quantity=quantity, unit=unit, by=SYSTEM
    )
    money = add_need(
        appeal=appeal,
        kind="money",
        title="Funds for local purchases",
        quantity=int(appeal.goal),
        unit=appeal.currency,
        by=SYSTEM,
    )
    add_need(
        appeal=appeal,
        kind="skills",
        title="Volunteer engineers",
        quantity=3,
        unit="people",
        by=SYSTEM,
    )
    # The partner's council confirmed these two (the skills need waits for it).
    goods, money = (confirm_need(need=need, by=SYSTEM) for need in (goods, money))
    appeal = set_appeal_status(appeal=appeal, status="open", by=SYSTEM)
    received = started + datetime.timedelta(days=5)
    donors = [("Springfield Rotary", False), ("Maria Gonzalez", False), ("A neighbour", True)]
    total = Decimal(0)
    for n, (name, anonymous) in enumerate(donors):
        amount = Decimal(500 * (n + 1))
        record_donation(
            appeal=appeal,
            amount=amount,
            currency=appeal.currency,
            received_on=received,
            reference=f"TRF-{appeal.pk}-{n}",
            name=name,
            anonymous=anonymous,
            email=f"donor{n}@example.org",
            follow=True,
            need=money if n < 2 else None,  # two gifts for the local purchases
            by=SYSTEM,
        )
        total += amount
    record_pledge(appeal=appeal, kind="money", amount="250", name="Shelbyville Lions", by=SYSTEM)
    pledges = [
        record_pledge(
            appeal=appeal,
            kind="goods",
            need=goods,
            quantity=max(1, quantity // 2),
            name=who,
            by=SYSTEM,
        )
        for who in ("Springfield Sister Cities Committee", "Springfield Hospital")
    ]
    spent = total if closed else total / 2
    expense = Expense.objects.create(
        appeal=appeal,
        description=f"Local purchase: {title.lower()}",
        amount=spent,
        currency=appeal.currency,
        spent_on=received + datetime.timedelta(days=3),
        receipt_name="",
        receipt_mime="application/pdf",
        receipt_display_name="receipt.pdf",
    )
    decide_expense(expense=expense, approve=True, by=SYSTEM)
    first = create_shipment(
        appeal=appeal,
        lines=[(pledges[0], pledges[0].quantity or 0)],
        carrier="DHL",
        tracking=f"DHL{appeal.pk}01",
        by=SYSTEM,
    )
    set_shipment_status(shipment=first, status="shipped", by=SYSTEM)
    set_shipment_status(shipment=first, status="delivered", by=SYSTEM)
    line = first.lines.get()
    confirm_receipt(shipment=first, counts={line.pk: line.quantity}, by=SYSTEM)
    second = create_shipment(
        appeal=appeal,
        lines=[(pledges[1], pledges[1].quantity or 0)],
        carrier="Maersk",
        tracking=f"MSK{appeal.pk}02",
        by=SYSTEM,
    )
    set_shipment_status(shipment=second, status="customs", by=SYSTEM)
    if closed:
        set_shipment_status(shipment=second, status="delivered", by=SYSTEM)
        line = second.lines.get()
        confirm_receipt(shipment=second, counts={line.pk: line.quantity}, by=SYSTEM)
    post_update(
        appeal=appeal,
        title="The first shipment arrived",
        body=f"The council of {appeal.community.name} counted the first shipment ({unit}).",
        by=SYSTEM,
    )
    if closed:
        post_update(
            appeal=appeal,
            title="Final report",
            body="Every amount received is spent and every shipment arrived. Thank you.",
            by=SYSTEM,
        )
        set_appeal_status(appeal=appeal, status="closed", by=SYSTEM)
