"""Ages and the neutral age screen (RELIABILITY P-01, PRIV-1): the screen asks a date of
birth with no hint of the threshold; below a program's minimum age the child is refused
without anything being stored (no date, no community, no account): the session only
remembers that a refusal happened, so an immediate retry with another date is not offered."""

import datetime
from typing import Any

from twinning.youth.programs import get_program

AGE_OF_MAJORITY = 18  # below it, a guardian consents (PRIV-3; GDPR Art. 8 at its strictest)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`. Someone born on 29 February turns a year older on
    1 March in common years (their birthday has not come on 28 February)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_minor_on(date_of_birth: datetime.date, day: datetime.date) -> bool:
    return age_on(date_of_birth, day) < AGE_OF_MAJORITY


def minimum_age(program: str, at_least: int | None = None) -> int:
    """The program's minimum age, or a stricter one (an edition's) when given."""
    return max(get_program(program).minimum_age, at_least or 0)


def is_below_minimum(
    date_of_birth: datetime.date, *, program: str, on: datetime.date, at_least: int | None = None
) -> bool:
    """Whether a child born on `date_of_birth` is below the program's minimum age on `on`."""
    return age_on(date_of_birth, on) < minimum_age(program, at_least)


def _refused_key(program: str) -> str:
    return f"{program}_age_refused"


def refuse_under_minimum(session: Any, program: str) -> None:
    """Remember in the session (and nowhere else) that the screen refused: nothing about the
    child is kept, only that the screen was answered below the minimum."""
    session[_refused_key(program)] = True


def was_refused(session: Any, program: str) -> bool:
    return bool(session.get(_refused_key(program)))
