"""The programs young people take part in, and the consent scopes each asks (issue 8 §1).

A program registers itself from its AppConfig.ready(): its key, its scopes in the order they
are asked, which scope needs which (the showcase: publication needs participation), its
minimum age, and the privacy notice a guardian answers (its version and text; the hash of the
text is kept with each answer, RELIABILITY P-04)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Program:
    key: str
    label: Any
    scopes: dict[str, Any]  # scope -> its label ("taking part"), in the order asked
    minimum_age: int
    notice: Callable[[], str]
    notice_version: str
    # scope -> (the scopes it needs, the message when it is granted without them)
    requires: dict[str, tuple[tuple[str, ...], Any]] = field(default_factory=dict)

    def dependants(self, scope: str) -> list[str]:
        """`scope` and every scope that needs it (directly or not), in the order asked:
        withdrawing `scope` withdraws them all."""
        found = {scope}
        changed = True
        while changed:
            changed = False
            for name, (needs, _message) in self.requires.items():
                if name not in found and found.intersection(needs):
                    found.add(name)
                    changed = True
        return [name for name in self.scopes if name in found]

    def check_granted(self, granted: set[str]) -> None:
        """ValidationError (by scope) for an unknown scope or one granted without the scopes
        it needs."""
        unknown = granted - set(self.scopes)
        if unknown:
            raise ValidationError(_("Unknown consent."))
        errors = {
            name: message
            for name, (needs, message) in self.requires.items()
            if name in granted and not set(needs) <= granted
        }
        if errors:
            raise ValidationError(errors)


_PROGRAMS: dict[str, Program] = {}


def register_program(
    key: str,
    *,
    label: Any,
    scopes: dict[str, Any],
    minimum_age: int,
    notice: Callable[[], str],
    notice_version: str,
    requires: dict[str, tuple[tuple[str, ...], Any]] | None = None,
) -> Program:
    """Register (or register again, e.g. on reload) a program and its consent scopes."""
    for name, (needs, _message) in (requires or {}).items():
        if name not in scopes or not set(needs) <= set(scopes):
            raise ValueError(f"{key}: {name} needs scopes the program does not ask")
    program = Program(
        key=key,
        label=label,
        scopes=dict(scopes),
        minimum_age=minimum_age,
        notice=notice,
        notice_version=notice_version,
        requires=dict(requires or {}),
    )
    _PROGRAMS[key] = program
    return program


def get_program(key: str) -> Program:
    """The registered program; ValidationError for an unknown one."""
    try:
        return _PROGRAMS[key]
    except KeyError:
        raise ValidationError(_("Unknown program.")) from None


def programs() -> list[Program]:
    return list(_PROGRAMS.values())
