"""Ages 14 to 18 on the summit's first day in its own time zone (RELIABILITY P-02): the
birthday boundaries, 29 February, the far time zones, and hypothesis against a reference."""

import datetime
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.events.summit_helpers import make_summit
from twinning.events.models import Event
from twinning.events.services.summit import age_limits, summit_age_reasons

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2027, 7, 12)


def _born(years: int, days: int = 0) -> datetime.date:
    return FIRST.replace(year=FIRST.year - years) + datetime.timedelta(days=days)


def reference_age(born: datetime.date, day: datetime.date) -> int:
    """Counted the slow way: the birthdays passed up to `day`, a 29 February birthday falling
    on 1 March in other years."""
    age = 0
    year = born.year + 1
    while True:
        try:
            birthday = born.replace(year=year)
        except ValueError:
            birthday = datetime.date(year, 3, 1)
        if birthday > day:
            return age
        age += 1
        year += 1


def test_a_summit_without_its_own_limits_takes_14_to_18(db):
    assert age_limits(make_summit()) == (14, 18)


def test_the_day_before_the_14th_birthday_is_too_young():
    reasons = summit_age_reasons(make_summit(), _born(14, days=1))
    assert reasons and "aged 14 to 18" in reasons[0] and "will be 13" in reasons[0]


def test_the_14th_birthday_on_the_first_day_is_old_enough():
    assert summit_age_reasons(make_summit(), _born(14)) == []


def test_18_on_the_first_day_may_come():
    assert summit_age_reasons(make_summit(), _born(19, days=1)) == []


def test_the_19th_birthday_on_the_first_day_is_too_old():
    reasons = summit_age_reasons(make_summit(), _born(19))
    assert reasons and "already be 19" in reasons[0]


def test_a_missing_date_of_birth_is_refused_in_words():
    assert "A date of birth is needed" in summit_age_reasons(make_summit(), None)[0]


def test_born_on_29_february_turns_14_on_1_march_of_a_common_year():
    for first_day, expected in (
        (datetime.date(2026, 2, 28), False),
        (datetime.date(2026, 3, 1), True),
    ):
        summit = make_summit(slug=f"s-{first_day}", first_day=first_day)
        assert (summit_age_reasons(summit, datetime.date(2012, 2, 29)) == []) is expected


def test_the_first_day_counts_in_the_summits_time_zone():
    """Starting at 00:30 on 12 July in Kiritimati (UTC+14) is still 11 July in UTC: the 14th
    birthday on 12 July counts."""
    start = datetime.datetime(2027, 7, 12, 0, 30, tzinfo=zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    summit = Event.objects.create(
        kind=Event.Kind.SUMMIT,
        title="Far east",
        slug="far-east",
        time_zone="Pacific/Kiritimati",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
    )
    assert start.astimezone(datetime.UTC).date() == datetime.date(2027, 7, 11)
    assert summit_age_reasons(summit, datetime.date(2013, 7, 12)) == []


def test_an_event_may_set_its_own_limits():
    summit = make_summit(min_age=15, max_age=17)
    assert summit_age_reasons(summit, _born(14))
    assert summit_age_reasons(summit, _born(15)) == []


@settings(max_examples=2000, deadline=None)
@given(
    born=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2016, 12, 31)),
    first_day=st.sampled_from(
        [
            datetime.date(2027, 7, 12),
            datetime.date(2028, 2, 29),
            datetime.date(2027, 3, 1),
            datetime.date(2027, 2, 28),
            datetime.date(2030, 1, 1),
        ]
    ),
    zone=st.sampled_from(["Etc/GMT+12", "Pacific/Kiritimati", "America/New_York", "UTC"]),
    local_time=st.sampled_from([datetime.time(0, 30), datetime.time(12), datetime.time(23, 30)]),
)
def test_eligibility_matches_the_reference(born, first_day, zone, local_time):
    """UTC-12 and UTC+14 included, starting just after and just before local midnight: the
    summit's own calendar day counts, whatever day it is in UTC."""
    summit = Event(
        kind=Event.Kind.SUMMIT,
        time_zone=zone,
        starts_at=datetime.datetime.combine(first_day, local_time, tzinfo=zoneinfo.ZoneInfo(zone)),
    )
    age = reference_age(born, first_day)
    assert (summit_age_reasons(summit, born) == []) is (14 <= age <= 18)
