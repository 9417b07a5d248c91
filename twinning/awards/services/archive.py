"""Past years' winners entered by staff: the CSV import into the archive (honours without a
cycle). The rows are checked by `awards.imports.check_honours`; the whole import is one
transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twinning.awards.imports import HonourCheck, check_honours
from twinning.awards.services.judging import _require_staff
from twinning.core.authz import acting_user
from twinning.core.services import log_activity


@transaction.atomic
def import_honours(
    *, lines: list[str], skip_rejected: bool = False, source: str = "", by: Any
) -> HonourCheck:
    """Import past years' winners from CSV text lines; returns the check (imported honours,
    rejected lines). All or nothing by default: when any row is rejected nothing is imported,
    unless `skip_rejected` (staff chose it after the preview), then the valid rows are.
    Raises ValidationError when the file cannot be read, when rows are rejected without
    `skip_rejected`, or when no row is valid. One audit entry with the counts."""
    _require_staff(by)
    check = check_honours(lines)
    if check.error:
        raise ValidationError(check.error)
    if check.rejected and not skip_rejected:
        raise ValidationError(
            ngettext(
                "%(n)s row is rejected: nothing is imported. Correct it, or choose to import "
                "the valid rows only.",
                "%(n)s rows are rejected: nothing is imported. Correct them, or choose to "
                "import the valid rows only.",
                len(check.rejected),
            )
            % {"n": len(check.rejected)}
        )
    if not check.honours:
        raise ValidationError(_("The file has no row to import."))
    for _line, honour in check.honours:
        honour.save()
    log_activity(
        acting_user(by) or check.honours[0][1],
        "awards.archive.imported",
        by=by,
        data={
            "source": source[:200],
            "imported": len(check.honours),
            "rejected": len(check.rejected),
            "years": sorted({h.year for _line, h in check.honours}),
        },
    )
    return check
