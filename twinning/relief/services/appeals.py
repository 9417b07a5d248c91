"""Appeals and projects: created by staff, opened, closed and archived; their photos; the needs
the partner side posts and confirms (through an account or a single-use link); progress
updates, which restart the 90-day clock and go by e-mail to the donors who asked for them."""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.dates import association_today
from twinning.core.media import delete_stored, private_storage, store_upload
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activity
from twinning.core.tokens import hash_token
from twinning.core.uploads import IMAGE_LIMITS, Kind
from twinning.network.models import Community, Member, Partnership
from twinning.outbox.services import queue_email
from twinning.relief import emails
from twinning.relief.models import FOLDER, Appeal, Follower, Need, PartnerLink, Photo, Update

RESERVED_SLUGS = {"mine", "link", "receipt"}  # /relief/mine/, link/<token>/, receipt/<token>/


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "appeal"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Appeal.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError({"currency": _("Use a three-letter currency code, e.g. USD.")})
    return code


@transaction.atomic
def create_appeal(
    *,
    kind: str,
    title: str,
    community: Community,
    goal: Any,
    currency: str,
    starts_on: datetime.date,
    summary: str = "",
    story: str = "",
    ends_on: datetime.date | None = None,
    partnerships: Iterable[Partnership] = (),
    organisers: Iterable[Member] = (),
    partner_name: str = "",
    partner_email: str = "",
    by: Any,
) -> Appeal:
    """A draft appeal or project (staff). ValidationError on bad fields."""
    require(by, "relief.manage")
    appeal = Appeal(
        kind=kind,
        title=title.strip(),
        slug=_unique_slug(title),
        summary=summary.strip(),
        story=story.strip(),
        community=community,
        goal=goal,
        currency=_currency(currency),
        starts_on=starts_on,
        ends_on=ends_on,
        partner_name=partner_name.strip(),
        partner_email=partner_email.strip(),
        reported_on=starts_on,
        created_by=acting_user(by),
    )
    appeal.full_clean()
    appeal.save()
    appeal.partnerships.set(partnerships)
    appeal.organisers.set(organisers)
    log_activity(appeal, "relief.appeal.created", by=by, data={"kind": kind})
    return appeal


@transaction.atomic
def set_appeal_status(*, appeal: Appeal, status: str, by: Any) -> Appeal:
    """Open, close or archive an appeal (staff). Opening starts the 90-day clock; an appeal
    is opened only once the partner side confirmed at least one need."""
    require(by, "relief.manage")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if status not in Appeal.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == Appeal.Status.OPEN and not appeal.needs.confirmed().exists():
        raise ValidationError(_("Open the appeal once the partner side confirmed its needs."))
    if status == Appeal.Status.OPEN and appeal.status == Appeal.Status.DRAFT:
        appeal.reported_on = max(appeal.reported_on, association_today())
    appeal.status = status
    appeal.full_clean()
    appeal.save()
    log_activity(appeal, "relief.appeal.status", by=by, data={"status": status})
    return appeal


@transaction.atomic
def add_photo(*, appeal: Appeal, upload: Any, caption: str, by: Any) -> Photo:
    """A photo through the upload pipeline (re-encoded, no metadata); organisers or staff."""
    require(by, "relief.organise_appeal", appeal)
    if not caption.strip():
        raise ValidationError({"caption": _("Say what the photo shows (read by screen readers).")})
    touch_page(appeal.pk)
    stored = store_upload(upload, allowed=(Kind.IMAGE,), limits=IMAGE_LIMITS, folder=FOLDER)
    names = [f.name for f in stored.files.values()]
    try:
        photo = Photo.objects.create(
            appeal=appeal,
            caption=caption.strip()[:200],
            file_name=stored.files["display"].name,
            thumb_name=stored.files["thumb"].name,
        )
    except Exception:
        delete_stored(private_storage, names)
        raise
    log_activity(appeal, "relief.photo.added", by=by, data={"photo": photo.pk})
    return photo


# --- Needs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewNeed:
    kind: str
    title: str
    quantity: int
    unit: str
    priority: int = Need.Priority.NORMAL


def _need(appeal: Appeal, spec: "NewNeed") -> Need:
    need = Need(
        appeal=appeal,
        kind=spec.kind,
        title=spec.title.strip(),
        quantity=spec.quantity,
        unit=spec.unit.strip(),
        priority=spec.priority,
    )
    need.full_clean()
    return need


@transaction.atomic
def add_need(
    *,
    appeal: Appeal,
    kind: str,
    title: str,
    quantity: int,
    unit: str,
    priority: int = Need.Priority.NORMAL,
    by: Any,
) -> Need:
    """A need proposed by the organisers (unconfirmed until the partner side confirms it) or
    posted by the partner side through their account (confirmed as it is posted)."""
    partner = by is not None and _is_partner_account(by, appeal)
    if not partner:
        require(by, "relief.organise_appeal", appeal)
    need = _need(appeal, NewNeed(kind, title, quantity, unit, priority))
    if partner:
        need.posted_by_partner = True
        need.confirmed_at = timezone.now()
        need.confirmed_by = acting_user(by)
        need.confirmed_by_name = by.get_full_name() or by.email
    touch_page(appeal.pk)
    need.save()
    log_activity(need, "relief.need.added", by=by, data={"confirmed": need.is_confirmed})
    return need


def _name_of(by: Any) -> str:
    """Who confirmed, as shown: the user's name or e-mail; the association for SYSTEM."""
    if getattr(by, "is_authenticated", False):
        return str(by.get_full_name() or by.email)
    return get_association().name


def _is_partner_account(by: Any, appeal: Appeal) -> bool:
    from twinning.relief.rules import is_partner_side

    return bool(getattr(by, "is_authenticated", False) and is_partner_side(by, appeal))


@transaction.atomic
def confirm_need(*, need: Need, by: Any) -> Need:
    """The partner side (signed in) confirms a need as it stands."""
    require(by, "relief.partner_appeal", need.appeal)
    touch_page(need.appeal_id)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.confirmed_at is None:
        need.confirmed_at = timezone.now()
        need.confirmed_by = acting_user(by)
        need.confirmed_by_name = _name_of(by)
        need.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_by_name"])
        log_activity(need, "relief.need.confirmed", by=by, data={"via": "account"})
    return need


@transaction.atomic
def send_partner_link(*, appeal: Appeal, shipment: Any = None, by: Any) -> PartnerLink:
    """E-mail the partner side's contact a single-use link: to confirm the needs, or (with a
    shipment) to confirm its receipt. Organisers or staff; a new link voids earlier unused
    ones of the same purpose. ValidationError without the contact's e-mail."""
    require(by, "relief.organise_appeal", appeal)
    if not appeal.partner_email:
        raise ValidationError(_("Enter the partner contact's e-mail on the appeal first."))
    purpose = PartnerLink.Purpose.RECEIPT if shipment else PartnerLink.Purpose.NEEDS
    appeal.partner_links.filter(purpose=purpose, shipment=shipment, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    link = PartnerLink.objects.create(
        appeal=appeal,
        shipment=shipment,
        purpose=purpose,
        token_hash=hash_token(token),
        sent_to=appeal.partner_email,
    )
    url = absolute_url(reverse("relief:partner_link", kwargs={"token": token}))
    if shipment is None:
        template = emails.PARTNER_NEEDS
        context = {
            "name": appeal.partner_name,
            "association": get_association().name,
            "community": str(appeal.community),
            "title": appeal.title,
            "link": url,
        }
    else:
        template = emails.PARTNER_RECEIPT
        context = {
            "name": appeal.partner_name,
            "title": appeal.title,
            "shipment": str(shipment),
            "link": url,
        }
    queue_email(to=appeal.partner_email, template=template, context=context, related=appeal, by=by)
    log_activity(appeal, "relief.link.sent", by=by, data={"purpose": purpose})
    return link


def link_for_token(token: str) -> PartnerLink | None:
    """The unused link a token is for (None for an unknown, used or voided one)."""
    if not token or len(token) > 100:
        return None
    return (
        PartnerLink.objects.filter(token_hash=hash_token(token), used_at__isnull=True)
        .select_related("appeal__community", "shipment")
        .first()
    )


@transaction.atomic
def confirm_needs_with_link(
    *, token: str, name: str, confirm: Iterable[int], new: Iterable[NewNeed] = ()
) -> list[Need]:
    """The partner's contact, through the single-use link, confirms the needs they tick and
    posts new ones; the link then stops working. NotAllowed for an unknown or used link."""
    link = link_for_token(token)
    if link is None or link.purpose != PartnerLink.Purpose.NEEDS:
        raise NotAllowed("relief.partner_link")
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise NotAllowed("relief.partner_link")
    if not name.strip():
        raise ValidationError({"name": _("Enter your name.")})
    touch_page(link.appeal_id)
    now = timezone.now()
    wanted = set(confirm)
    needs = list(
        link.appeal.needs.select_for_update().filter(pk__in=wanted, confirmed_at__isnull=True)
    )
    for need in needs:
        need.confirmed_at, need.confirmed_by_name = now, name.strip()[:150]
        need.save(update_fields=["confirmed_at", "confirmed_by_name"])
    for spec in new:
        need = _need(link.appeal, spec)
        need.posted_by_partner, need.confirmed_at = True, now
        need.confirmed_by_name = name.strip()[:150]
        need.save()
        needs.append(need)
    link.used_at = now
    link.save(update_fields=["used_at"])
    log_activity(link.appeal, "relief.need.confirmed", data={"via": "link", "needs": len(needs)})
    return needs


# --- Updates -----------------------------------------------------------------------------------


@transaction.atomic
def post_update(*, appeal: Appeal, title: str, body: str, by: Any) -> Update:
    """A progress update from the organisers or the partner side: restarts the 90-day clock
    (so an overdue appeal is listed again) and is e-mailed through the outbox to every donor
    who asked for updates (non-essential: the outbox adds the unsubscribe link)."""
    if _is_partner_account(by, appeal):
        side = Update.Side.PARTNER
    else:
        require(by, "relief.organise_appeal", appeal)
        side = Update.Side.ORGANISERS
    if not title.strip() or not body.strip():
        raise ValidationError(_("An update needs a title and its text."))
    today = association_today()
    update = Update(
        appeal=appeal,
        side=side,
        title=title.strip(),
        body=body.strip(),
        posted_on=today,
        author=acting_user(by),
    )
    update.full_clean()
    touch_page(appeal.pk)
    update.save()
    Appeal.objects.filter(pk=appeal.pk, reported_on__lt=today).update(reported_on=today)
    url = absolute_url(appeal.get_absolute_url())
    for follower in Follower.objects.filter(appeal=appeal).order_by("pk"):
        queue_email(
            to=follower.email,
            template=emails.UPDATE,
            context={
                "appeal": appeal.title,
                "title": update.title,
                "body": update.body,
                "url": url,
            },
            related=appeal,
            by=by,
            key=f"relief-update-{update.pk}-{follower.pk}",
        )
    log_activity(appeal, "relief.update.posted", by=by, data={"side": side})
    return update


def follow_appeal(appeal: Appeal, email: str) -> None:
    """Part of a pledge or donation service: the donor asked for the updates."""
    address = email.strip().lower()
    if address:
        Follower.objects.get_or_create(appeal=appeal, email=address)


def bump(model: Any, pk: int, **fields: int) -> None:
    """Add to counters with F() (exact under concurrent writers; the row is locked by the
    UPDATE until the transaction ends)."""
    model.objects.filter(pk=pk).update(**{f: F(f) + v for f, v in fields.items()})


def touch_page(appeal_id: int) -> None:
    """What the appeal's public page shows has changed (needs, updates, photos, shipments):
    a new `page_version`, so its cached sections are rendered anew on the next request. Part
    of the calling service's transaction, and called before it locks any other row: the
    appeal's row first, the one lock order of the money services (no deadlock)."""
    bump(Appeal, appeal_id, page_version=1)
