"""What registration and consent both ask: whether an edition still takes newcomers,
which edition a student's consent is for, and who may act on a student."""

from typing import Any

from django.utils.translation import gettext as _

from twinning.showcase.models import Edition
from twinning.showcase.services.entries import _when
from twinning.youth.authz import check_person_or_staff
from twinning.youth.models import Person


def closed_to_newcomers(edition: Edition | None) -> str:
    """Why no new student may register and no guardian's consent may be asked for `edition`,
    in words ("" when both are still possible). None stands for "no edition is open"."""
    if edition is None:
        return _(
            "No showcase edition is accepting entries now: a guardian's consent can be asked "
            "again when the next edition opens."
        )
    if edition.has_closed():
        return _(
            "Entries to the %(year)s showcase closed on %(when)s: new students can no longer "
            "register for it, and no guardian's consent can be asked for it."
        ) % {"year": edition.year, "when": _when(edition.closes_at)}
    return ""


def consent_edition(student: Person) -> Edition | None:
    """The edition a new consent request is for: the one open now (the newest)."""
    return Edition.objects.open_at().order_by("-opens_at").first()


def _check_student_or_staff(student: Person, by: Any) -> None:
    """The student themself, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    check_person_or_staff(student, by)
