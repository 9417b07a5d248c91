"""Shipments: goods from pledges packed against needs, moved through their statuses with dates,
and the partner side's confirmation of what arrived (counts and a photo). A need's fulfilment
follows confirmed receipts only, added with F() while the receipt holds the shipment's lock;
differences from what was sent are flagged for staff."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import NotAllowed, acting_user, require
from twinning.core.dates import association_today
from twinning.core.media import delete_stored, private_storage, store_upload
from twinning.core.services import log_activity
from twinning.core.uploads import IMAGE_LIMITS, Kind
from twinning.relief.models import (
    FOLDER,
    MAX_QUANTITY,
    TOO_MANY,
    Appeal,
    Need,
    PartnerLink,
    Pledge,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    ShipmentReceipt,
)
from twinning.relief.services.appeals import bump, link_for_token, touch_page


@transaction.atomic
def create_shipment(
    *,
    appeal: Appeal,
    lines: Iterable[tuple[Pledge, int]],
    carrier: str = "",
    tracking: str = "",
    by: Any,
) -> Shipment:
    """Pack goods pledges into a shipment (status packed, today); organisers or staff."""
    require(by, "relief.organise_appeal", appeal)
    chosen = [(p, int(q)) for p, q in lines if q]
    if not chosen:
        raise ValidationError(_("Put at least one pledge of goods in the shipment."))
    touch_page(appeal.pk)
    shipment = Shipment.objects.create(
        appeal=appeal,
        carrier=carrier.strip()[:100],
        tracking=tracking.strip()[:100],
        created_by=acting_user(by),
    )
    for pledge, quantity in chosen:
        if pledge.appeal_id != appeal.pk or pledge.kind != Pledge.Kind.GOODS or not pledge.need_id:
            raise ValidationError(_("Only this appeal's pledges of goods can be shipped."))
        if quantity <= 0:
            raise ValidationError(_("Quantities must be more than zero."))
        ShipmentLine.objects.create(
            shipment=shipment, need_id=pledge.need_id, pledge=pledge, quantity=quantity
        )
    ShipmentEvent.objects.create(
        shipment=shipment,
        status=Shipment.Status.PACKED,
        on=association_today(),
        recorded_by=acting_user(by),
    )
    log_activity(shipment, "relief.shipment.packed", by=by, data={"lines": len(chosen)})
    return shipment


@transaction.atomic
def set_shipment_status(
    *,
    shipment: Shipment,
    status: str,
    on: datetime.date | None = None,
    carrier: str | None = None,
    tracking: str | None = None,
    by: Any,
) -> Shipment:
    """Move a shipment to a status on a date (today by default); organisers or staff."""
    require(by, "relief.organise_appeal", shipment.appeal)
    touch_page(shipment.appeal_id)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if status not in Shipment.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if hasattr(shipment, "receipt"):
        raise ValidationError(_("The partner side has confirmed this shipment's receipt."))
    day = on or association_today()
    if day > association_today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    shipment.status = status
    if carrier is not None:
        shipment.carrier = carrier.strip()[:100]
    if tracking is not None:
        shipment.tracking = tracking.strip()[:100]
    shipment.save()
    ShipmentEvent.objects.create(
        shipment=shipment, status=status, on=day, recorded_by=acting_user(by)
    )
    log_activity(shipment, "relief.shipment.status", by=by, data={"status": status})
    return shipment


def _confirm(
    shipment: Shipment,
    counts: Mapping[int, int],
    *,
    name: str,
    user: Any,
    note: str,
    photo: Any,
) -> ShipmentReceipt:
    touch_page(shipment.appeal_id)  # the appeal's row before the shipment's: one lock order
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if hasattr(shipment, "receipt"):
        raise ValidationError(_("This shipment's receipt is already confirmed."))
    if shipment.status == Shipment.Status.LOST:
        raise ValidationError(_("This shipment is marked lost."))
    lines = list(shipment.lines.order_by("pk"))
    for line in lines:
        count = counts.get(line.pk)
        if count is None or int(count) < 0:
            raise ValidationError(_("Enter the quantity received of every line (0 if none)."))
        if int(count) > MAX_QUANTITY:
            raise ValidationError(TOO_MANY % {"most": MAX_QUANTITY})
    if not name.strip():
        raise ValidationError({"name": _("Enter your name.")})
    photo_name = ""
    if photo is not None:
        stored = store_upload(photo, allowed=(Kind.IMAGE,), limits=IMAGE_LIMITS, folder=FOLDER)
        photo_name = stored.files["display"].name
        delete_stored(private_storage, [stored.files["thumb"].name])
    differences = False
    for line in lines:
        line.received = int(counts[line.pk])
        differences |= line.received != line.quantity
        line.save(update_fields=["received"])
        if line.received:
            bump(Need, line.need_id, fulfilled=line.received)
    try:
        with transaction.atomic():
            receipt = ShipmentReceipt.objects.create(
                shipment=shipment,
                confirmed_by=user,
                confirmed_by_name=name.strip()[:150],
                note=note.strip(),
                photo_name=photo_name,
                has_differences=differences,
            )
    except IntegrityError:
        delete_stored(private_storage, [photo_name])
        raise ValidationError(_("This shipment's receipt is already confirmed.")) from None
    if shipment.status != Shipment.Status.DELIVERED:
        shipment.status = Shipment.Status.DELIVERED
        shipment.save(update_fields=["status", "updated_at"])
        ShipmentEvent.objects.create(
            shipment=shipment, status=Shipment.Status.DELIVERED, on=association_today()
        )
    return receipt


@transaction.atomic
def confirm_receipt(
    *,
    shipment: Shipment,
    counts: Mapping[int, int],
    note: str = "",
    photo: Any = None,
    by: Any,
) -> ShipmentReceipt:
    """The partner side (signed in) confirms what arrived: a count per line and a photo.
    Fulfilment of each need grows by what was counted; a count that differs from what was
    sent flags the receipt for staff."""
    require(by, "relief.partner_appeal", shipment.appeal)
    name = (by.get_full_name() or by.email) if getattr(by, "is_authenticated", False) else "-"
    receipt = _confirm(shipment, counts, name=name, user=acting_user(by), note=note, photo=photo)
    log_activity(
        receipt, "relief.receipt.confirmed", by=by, data={"differences": receipt.has_differences}
    )
    return receipt


@transaction.atomic
def confirm_receipt_with_link(
    *, token: str, name: str, counts: Mapping[int, int], note: str = "", photo: Any = None
) -> ShipmentReceipt:
    """The same through the single-use link e-mailed to the partner's contact; the link then
    stops working. NotAllowed for an unknown or used link."""
    link = link_for_token(token)
    if link is None or link.purpose != PartnerLink.Purpose.RECEIPT or link.shipment is None:
        raise NotAllowed("relief.partner_link")
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise NotAllowed("relief.partner_link")
    shipment = link.shipment
    if shipment is None:
        raise NotAllowed("relief.partner_link")
    receipt = _confirm(shipment, counts, name=name, user=None, note=note, photo=photo)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    log_activity(
        receipt,
        "relief.receipt.confirmed",
        data={"via": "link", "differences": receipt.has_differences},
    )
    return receipt


@transaction.atomic
def acknowledge_differences(*, receipt: ShipmentReceipt, by: Any) -> ShipmentReceipt:
    """Staff have looked at a receipt's differences: it leaves their list."""
    require(by, "relief.manage")
    touch_page(receipt.shipment.appeal_id)
    receipt.acknowledged_at = timezone.now()
    receipt.save(update_fields=["acknowledged_at", "updated_at"])
    log_activity(receipt, "relief.receipt.acknowledged", by=by)
    return receipt


@transaction.atomic
def confirm_skills_delivered(*, pledge: Pledge, quantity: int | str, by: Any) -> Pledge:
    """The partner side (or staff) confirms that `quantity` of a pledge of skills was
    delivered (people came, days of training were given): the skills need's fulfilment grows
    by it, never beyond what the pledge promised. ValidationError otherwise."""
    require(by, "relief.partner_appeal", pledge.appeal)
    touch_page(pledge.appeal_id)
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("need").get(pk=pledge.pk)
    if pledge.need is None or pledge.need.kind != Need.Kind.SKILLS:
        raise ValidationError(_("Only a pledge of skills is confirmed as delivered here."))
    try:
        count = int(quantity)
    except (TypeError, ValueError):
        count = 0
    if count <= 0:
        raise ValidationError({"quantity": _("Enter how many were delivered.")})
    left = (pledge.quantity or 0) - pledge.delivered
    if count > left:
        raise ValidationError(
            {"quantity": _("Only %(left)d of this pledge are still to deliver.") % {"left": left}}
        )
    bump(Pledge, pledge.pk, delivered=count)
    bump(Need, pledge.need.pk, fulfilled=count)
    pledge.refresh_from_db()
    log_activity(pledge, "relief.skills.delivered", by=by, data={"quantity": count})
    return pledge
