"""Editions and their categories."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import require
from twinning.core.services import log_activity
from twinning.showcase.models import Category, Edition


def _now() -> datetime.datetime:
    return timezone.now()


@dataclass(frozen=True)
class CategoryDefaults:
    slug: str
    name: Any
    work_kind: str
    max_bytes: int
    max_lines: int | None = None
    max_words: int | None = None
    max_seconds: int | None = None


MB = 1024 * 1024


def default_categories() -> list[CategoryDefaults]:
    image, audio, text = (Category.WorkKind.IMAGE, Category.WorkKind.AUDIO, Category.WorkKind.TEXT)
    return [
        CategoryDefaults("art", _("Art"), image, 20 * MB),
        CategoryDefaults("digital-art", _("Digital art"), image, 20 * MB),
        CategoryDefaults("photography", _("Photography"), image, 20 * MB),
        CategoryDefaults("poetry", _("Poetry"), text, 5 * MB, max_lines=40),
        CategoryDefaults("prose", _("Prose"), text, 5 * MB, max_words=2500),
        CategoryDefaults("music", _("Music"), audio, 50 * MB, max_seconds=300),
    ]


EDITION_FIELDS = (
    "year",
    "theme",
    "rules",
    "opens_at",
    "closes_at",
    "cutoff_date",
    "age_min",
    "age_max",
    "entries_per_category",
    "retention_months",
    "local_forward_limit",
)


@transaction.atomic
def create_edition(
    *,
    year: int,
    theme: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    cutoff_date: datetime.date,
    slug: str = "",
    rules: str = "",
    with_default_categories: bool = True,
    prizes: Iterable[Decimal] | None = None,
    by: Any,
    **options: Any,
) -> Edition:
    """Create an edition and, by default, its six categories with their limits and prizes.
    Raises ValidationError for inconsistent dates or a taken slug."""
    require(by, "showcase.manage_edition")
    edition = Edition(
        year=year,
        theme=theme,
        rules=rules,
        opens_at=opens_at,
        closes_at=closes_at,
        cutoff_date=cutoff_date,
        slug=slug or slugify(f"{year}-{theme}")[:60].strip("-") or str(year),
        **{k: v for k, v in options.items() if k in EDITION_FIELDS},
    )
    _clean_edition(edition)
    edition.save()
    if with_default_categories:
        first, second, third = (
            list(prizes) if prizes else [Decimal("1000"), Decimal("250"), Decimal("100")]
        )
        for order, spec in enumerate(default_categories()):
            category = Category(
                edition=edition,
                slug=spec.slug,
                name=str(spec.name),
                work_kind=spec.work_kind,
                order=order,
                max_bytes=spec.max_bytes,
                max_lines=spec.max_lines,
                max_words=spec.max_words,
                max_seconds=spec.max_seconds,
                prize_first=first,
                prize_second=second,
                prize_third=third,
            )
            category.full_clean()
            category.save()
    log_activity(edition, "showcase.edition.created", by=by, data={"year": year})
    return edition


def _clean_edition(edition: Edition) -> None:
    errors: dict[str, list[str]] = {}
    if edition.opens_at and edition.closes_at and edition.closes_at <= edition.opens_at:
        errors["closes_at"] = [_("The closing time must come after the opening time.")]
    if (
        edition.age_min is not None
        and edition.age_max is not None
        and edition.age_max < edition.age_min
    ):
        errors["age_max"] = [_("The maximum age cannot be below the minimum age.")]
    if errors:
        raise ValidationError(errors)
    edition.full_clean()


@transaction.atomic
def update_edition(*, edition: Edition, by: Any, **fields: Any) -> Edition:
    """Change an edition's settings (staff). Logs the fields that changed."""
    require(by, "showcase.manage_edition")
    changed = {}
    for name, value in fields.items():
        if name in EDITION_FIELDS and getattr(edition, name) != value:
            changed[name] = str(value)
            setattr(edition, name, value)
    _clean_edition(edition)
    edition.save()
    log_activity(edition, "showcase.edition.changed", by=by, data=changed)
    return edition
