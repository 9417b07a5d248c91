"""What registration and consent both ask: whether an edition still takes newcomers,
which edition a student's consent is for, and who may act on a student."""

from typing import Any

from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, is_verified_staff
from twinning.showcase.models import Edition, Student
from twinning.showcase.services.entries import _when


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


def consent_edition(student: Student) -> Edition | None:
    """The edition a new consent request is for: the one open now (the newest)."""
    return Edition.objects.open_at().order_by("-opens_at").first()


def _check_student_or_staff(student: Student, by: Any) -> None:
    """The student themself, verified staff, or SYSTEM (NotAllowed for anyone else)."""
    if by is SYSTEM or is_verified_staff(by):
        return
    if not getattr(by, "is_authenticated", False) or student.user_id != by.pk:
        raise NotAllowed
