"""Joint applications: the lead committee starts and writes one, each side keeps its own
budget and participant plan, every side signs (signed in, or through a single-use link sent
to its contact), and the lead submits once all have signed the current content.

A signature is the digest of the content it approved (`Application.compute_hash`): any later
change, by any side, changes the digest, so every earlier signature no longer counts and the
others are asked to sign again."""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.core.authz import SYSTEM, NotAllowed, acting_user, is_verified_staff, require
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.core.tokens import hash_token
from twinning.grants import emails
from twinning.grants.eligibility import eligibility
from twinning.grants.models import Application, ApplicationSide, BudgetLine, Call
from twinning.network.models import Community, Member, Partnership
from twinning.outbox.services import queue_email


def _require_draft(application: Application) -> None:
    if application.state != Application.State.DRAFT:
        raise ValidationError(_("The application is no longer a draft: it cannot change."))


def _rehash(application: Application) -> str:
    """Store the new content digest; earlier signatures stop counting."""
    application.content_hash = application.compute_hash()
    application.save(update_fields=["content_hash", "updated_at"])
    return application.content_hash


def _committee_of(community: Community) -> Member | None:
    return community.members.order_by("pk").first()


@transaction.atomic
def start_application(
    *,
    call: Call,
    member: Member,
    community: Community,
    partners: Sequence[Community],
    title: str,
    by: Any,
) -> Application:
    """A draft application of `member`'s `community` (the lead) with `partners` (one for a
    pair, two for a trio). Each partner's side gets its committee (when one is registered)
    and that committee's general contact. Raises NotAllowed unless `by` administers `member`
    (or is staff), ValidationError when the call is closed or the communities do not fit."""
    require(by, "grants.start_application")
    if not (by is SYSTEM or is_verified_staff(by) or member.admins.filter(pk=by.pk).exists()):
        raise NotAllowed
    if not call.is_open():
        raise ValidationError(_("This call is not open for applications."))
    if not member.communities.filter(pk=community.pk).exists():
        raise ValidationError({"community": _("Choose one of your committee's communities.")})
    partners = [p for p in partners if p.pk != community.pk]
    if len({p.pk for p in partners}) != call.program.size - 1:
        raise ValidationError(
            {
                "partners": _("This program funds %(n)s communities together: choose %(k)s.")
                % {"n": call.program.size, "k": call.program.size - 1}
            }
        )
    partnership = None
    if len(partners) == 1:
        partnership = Partnership.objects.between(community, partners[0]).first()
    application = Application(call=call, title=title.strip(), partnership=partnership)
    application.full_clean()
    application.save()
    currency = call.program.currency
    ApplicationSide.objects.create(
        application=application,
        community=community,
        member=member,
        is_lead=True,
        contact_name=str(getattr(by, "get_full_name", lambda: "")() or ""),
        contact_email=getattr(by, "email", "") or "",
        currency=currency,
    )
    for partner in partners:
        committee = _committee_of(partner)
        contact = committee.contacts.order_by("pk").first() if committee else None
        ApplicationSide.objects.create(
            application=application,
            community=partner,
            member=committee,
            contact_name=contact.name if contact else "",
            contact_email=contact.email if contact else "",
            currency=currency,
        )
    _rehash(application)
    log_activity(
        application,
        "grants.application.started",
        by=by,
        data={"call": call.pk, "communities": [community.pk, *[p.pk for p in partners]]},
    )
    return application


@transaction.atomic
def update_application(
    *,
    application: Application,
    title: str,
    theme: str,
    summary: str,
    answers: Mapping[str, str],
    by: Any,
) -> Application:
    """The lead side's text (title, theme, summary, answers to the call's questions). A
    change asks every side to sign again."""
    require(by, "grants.change_application", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_draft(application)
    themes = application.call.program.themes
    if theme and themes and theme not in themes:
        raise ValidationError({"theme": _("Choose a theme of the program.")})
    questions = application.call.questions
    application.title = title.strip()
    application.theme = theme
    application.summary = summary
    application.answers = {q: str(answers.get(q, "")) for q in questions}
    application.full_clean()
    application.save()
    old = application.content_hash
    if _rehash(application) != old:
        log_activity(application, "grants.application.changed", by=by, data={"part": "text"})
    return application


def may_change_side(user: Any, side: ApplicationSide) -> bool:
    """The side's own admins; the lead's admins for a side without an account (the partner
    then checks it through its signature link)."""
    if user is SYSTEM or getattr(user, "has_perm", lambda *a: False)("grants.change_side", side):
        return True
    has_admins = side.member is not None and side.member.admins.exists()
    return not has_admins and bool(
        getattr(user, "has_perm", lambda *a: False)("grants.change_application", side.application)
    )


@transaction.atomic
def update_side(
    *,
    side: ApplicationSide,
    currency: str,
    participants: int,
    participant_plan: str,
    lines: Iterable[Mapping[str, Any]],
    contact_name: str = "",
    contact_email: str = "",
    by: Any,
) -> ApplicationSide:
    """A side's budget (lines in its own currency: description, cost, requested), participant
    plan and contact. The call must have a rate for the currency. A change asks every side to
    sign again. Raises NotAllowed unless `by` may change this side."""
    if not may_change_side(by, side):
        raise NotAllowed
    application = Application.objects.select_for_update().get(pk=side.application_id)
    _require_draft(application)
    currency = currency.strip().upper()
    call = application.call
    if currency != call.program.currency and not call.rates.filter(currency=currency).exists():
        raise ValidationError(
            {
                "currency": _("The call has no exchange rate for %(code)s; use %(codes)s.")
                % {
                    "code": currency,
                    "codes": ", ".join(
                        [call.program.currency, *call.rates.values_list("currency", flat=True)]
                    ),
                }
            }
        )
    side.currency = currency
    side.participants = participants
    side.participant_plan = participant_plan
    side.contact_name = contact_name or side.contact_name
    side.contact_email = contact_email or side.contact_email
    side.full_clean()
    side.save()
    side.lines.all().delete()
    for spec in lines:
        line = BudgetLine(
            side=side,
            description=str(spec["description"]).strip(),
            cost=Decimal(str(spec["cost"])),
            requested=Decimal(str(spec["requested"])),
        )
        line.full_clean()
        line.save()
    old = application.content_hash
    if _rehash(application) != old:
        log_activity(
            application, "grants.application.changed", by=by, data={"side": side.community_id}
        )
    return side


def _sign(side: ApplicationSide, *, content_hash: str, user: Any, name: str, via: str) -> None:
    side.signed_hash = content_hash
    side.signed_at = timezone.now()
    side.signed_by = user
    side.signer_name = name[:150]
    side.signed_via = via
    side.token_hash = None
    side.save()


@transaction.atomic
def sign_application(*, side: ApplicationSide, by: Any) -> ApplicationSide:
    """The side's committee admin signs the application as it stands now."""
    require(by, "grants.sign_side", side)
    application = Application.objects.select_for_update().get(pk=side.application_id)
    _require_draft(application)
    _sign(
        side,
        content_hash=application.content_hash,
        user=acting_user(by),
        name=(by.get_full_name() or by.email) if getattr(by, "is_authenticated", False) else "",
        via=ApplicationSide.Via.ACCOUNT,
    )
    log_activity(side, "grants.side.signed", by=by, data={"via": "account"})
    return side


@transaction.atomic
def send_signature_link(*, side: ApplicationSide, by: Any) -> ApplicationSide:
    """Send the side's contact a single-use link to read and sign the application (a new
    link voids an earlier one). The lead's admins or staff. ValidationError without an
    address or once the side signed the current version."""
    require(by, "grants.change_application", side.application)
    application = Application.objects.select_for_update().get(pk=side.application_id)
    _require_draft(application)
    if side.is_lead:
        raise ValidationError(_("The lead side signs from its own account."))
    if not side.contact_email:
        raise ValidationError({"contact_email": _("Enter the partner contact's e-mail first.")})
    if side.has_signed(application.content_hash):
        raise ValidationError(_("This side has already signed the current version."))
    token = secrets.token_urlsafe(32)
    side.token_hash = hash_token(token)
    side.token_sent_at = timezone.now()
    side.save(update_fields=["token_hash", "token_sent_at"])
    lead = application.sides.get(is_lead=True)
    queue_email(
        to=side.contact_email,
        template=emails.SIGNATURE_REQUEST,
        context={
            "name": side.contact_name,
            "lead": str(lead.member or lead.community),
            "program": application.call.program.name,
            "community": str(lead.community),
            "title": application.title,
            "sign_url": absolute_url(reverse("grants:sign_link", kwargs={"token": token})),
        },
        related=application,
        by=by,
    )
    log_activity(side, "grants.side.link_sent", by=by, data={"to": side.contact_email})
    return side


def side_for_token(token: str) -> ApplicationSide | None:
    """The side a signature link is for, while it is unused and its application a draft."""
    if not token or len(token) > 100:
        return None
    return (
        ApplicationSide.objects.filter(
            token_hash=hash_token(token), application__state=Application.State.DRAFT
        )
        .select_related("application__call__program", "community")
        .first()
    )


@transaction.atomic
def sign_with_token(*, token: str, signer_name: str, content_hash: str) -> ApplicationSide:
    """A partner without an account signs through its link. `content_hash` is the version
    the signer read: if the application changed since, nothing is signed (ValidationError).
    The link then stops working (single use). Raises NotAllowed for an unknown or used link."""
    side = side_for_token(token)
    if side is None:
        raise NotAllowed
    application = Application.objects.select_for_update().get(pk=side.application_id)
    if content_hash != application.content_hash:
        raise ValidationError(_("The application changed while you read it: read it again."))
    if not signer_name.strip():
        raise ValidationError({"signer_name": _("Enter your name to sign.")})
    _sign(
        side,
        content_hash=application.content_hash,
        user=None,
        name=signer_name.strip(),
        via=ApplicationSide.Via.LINK,
    )
    log_activity(side, "grants.side.signed", data={"via": "link", "name": side.signer_name})
    return side


def unsigned_sides(application: Application) -> list[ApplicationSide]:
    return [s for s in application.sides.all() if not s.has_signed(application.content_hash)]


@transaction.atomic
def submit_application(*, application: Application, by: Any) -> Application:
    """Submit (the lead's admins) once every side signed the current version and every rule
    of the program holds; otherwise ValidationError says which side or rule is missing."""
    require(by, "grants.change_application", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_draft(application)
    if not application.call.is_open():
        raise ValidationError(_("The call has closed: applications can no longer be submitted."))
    if application.compute_hash() != application.content_hash:
        _rehash(application)
    missing = unsigned_sides(application)
    if missing:
        raise ValidationError(
            _("Every side must sign the current version first; waiting for: %(names)s.")
            % {"names": ", ".join(str(side.community) for side in missing)}
        )
    failed = [rule.text for rule in eligibility(application) if not rule.ok]
    if failed:
        raise ValidationError(failed)
    application.state = Application.State.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["state", "submitted_at", "updated_at"])
    log_activity(application, "grants.application.submitted", by=by)
    return application
