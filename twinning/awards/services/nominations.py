"""Nominations: a committee's own (for its program, or one of its people), or a third party's
(a regional coordinator, another committee) for a person, which the nominee's committee
confirms by a single-use link before it counts. Drafts until submitted; the deadline is the
server's; one nomination per committee and category (the database holds it too)."""

import datetime
import secrets
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from twinning.awards import emails
from twinning.awards.eligibility import check_eligibility
from twinning.awards.models import Attachment, Category, Nomination
from twinning.core.authz import SYSTEM, NotAllowed, acting_user, require
from twinning.core.media import delete_stored, private_storage
from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.network.models import Community, Member
from twinning.outbox.services import queue_email
from twinning.youth.services import hash_token

CONFIRM_DAYS = 14
MAX_ATTACHMENTS = 8
IMAGE_BYTES = 10 * 1024 * 1024
PDF_BYTES = 10 * 1024 * 1024


def _deadline_passed(category: Category) -> ValidationError | None:
    now = timezone.now()
    cycle = category.cycle
    if now < cycle.opens_at:
        return ValidationError(
            _("Nominations for the %(cycle)s are not open yet.") % {"cycle": cycle}
        )
    if now >= cycle.closes_at:
        return ValidationError(
            _("The deadline for the %(cycle)s has passed: nominations closed on %(date)s.")
            % {"cycle": cycle, "date": formats.date_format(timezone.localtime(cycle.closes_at))}
        )
    return None


def _check_open(category: Category) -> None:
    problem = _deadline_passed(category)
    if problem is not None:
        raise problem


def _require_owner(by: Any, nomination: Nomination) -> None:
    require(by, "awards.change_nomination", nomination)


def _require_draft(nomination: Nomination) -> None:
    if nomination.state != Nomination.State.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))


@transaction.atomic
def start_nomination(
    *,
    category: Category,
    member: Member,
    community: Community,
    title: str,
    nominee_name: str = "",
    nominator: str = "",
    by: Any,
) -> Nomination:
    """A draft nomination of `member` (its `community`) in `category`. By the committee's
    admins (or staff) for its own program or people; by another committee's admin or a
    regional coordinator for a person only (a third party's, confirmed later). Raises
    ValidationError after the deadline, when the committee is not eligible, or when it has a
    nomination in the category already."""
    own = by is SYSTEM or by.has_perm("awards.nominate_for_member", member)
    if not own:
        require(by, "awards.nominate_third_party")
        if category.subject != Category.Subject.PERSON:
            raise NotAllowed("awards.nominate_for_member")
    _check_open(category)
    if not member.communities.filter(pk=community.pk).exists():
        raise ValidationError({"community": _("Choose one of the committee's communities.")})
    if category.subject == Category.Subject.PERSON and not nominee_name.strip():
        raise ValidationError({"nominee_name": _("Name the person you nominate.")})
    eligibility = check_eligibility(category=category, member=member, community=community)
    if not eligibility.eligible:
        raise ValidationError(eligibility.problems)
    nomination = Nomination(
        category=category,
        member=member,
        community=community,
        title=title.strip(),
        nominee_name=nominee_name.strip(),
        nominated_by=acting_user(by),
        third_party=not own,
        nominator=nominator.strip(),
    )
    if nomination.third_party and not nomination.nominator:
        raise ValidationError({"nominator": _("Say who nominates: your committee or your role.")})
    nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:  # two admins starting at once: the constraint holds
        raise ValidationError(
            _("This committee already has a nomination in this category.")
        ) from error
    log_activity(
        nomination,
        "awards.nomination.started",
        by=by,
        data={"category": category.pk, "member": member.pk, "third_party": nomination.third_party},
    )
    return nomination


@transaction.atomic
def update_nomination(
    *,
    nomination: Nomination,
    title: str,
    story: str,
    answers: dict[str, str],
    website: str = "",
    video: str = "",
    partner: Community | None = None,
    nominee_name: str = "",
    by: Any,
) -> Nomination:
    """Save a draft's text (answers keyed by the category's questions), links and partner
    city. Raises ValidationError after the deadline or once submitted."""
    _require_owner(by, nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _require_draft(nomination)
    _check_open(nomination.category)
    questions = nomination.category.question_list()
    nomination.title = title.strip()
    nomination.story = story.strip()
    nomination.answers = {q: str(answers.get(q, "")).strip() for q in questions}
    nomination.website, nomination.video = website.strip(), video.strip()
    if nomination.category.subject == Category.Subject.PERSON:
        nomination.nominee_name = nominee_name.strip() or nomination.nominee_name
    if partner is not None and not _is_partner(nomination.community, partner):
        raise ValidationError({"partner": _("Choose a partner city of your community.")})
    nomination.partner = partner
    nomination.full_clean()
    nomination.save()
    log_activity(nomination, "awards.nomination.updated", by=by)
    return nomination


def _is_partner(community: Community, partner: Community) -> bool:
    from twinning.network.models import Partnership

    return Partnership.objects.current().between(community, partner).exists()


@transaction.atomic
def add_attachment(
    *, nomination: Nomination, upload: Any, caption: str = "", by: Any
) -> Attachment:
    """A photo (JPEG, PNG, WebP) or PDF through the upload pipeline: checked by its content,
    re-encoded without metadata, kept privately. At most MAX_ATTACHMENTS per nomination."""
    from twinning.core.media import store_upload
    from twinning.core.uploads import Kind, UploadLimits

    _require_owner(by, nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _require_draft(nomination)
    _check_open(nomination.category)
    if nomination.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"upload": _("A nomination has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}}
        )
    try:
        stored = store_upload(
            upload,
            allowed=[Kind.IMAGE, Kind.PDF],
            limits=UploadLimits(max_bytes=max(IMAGE_BYTES, PDF_BYTES)),
            folder="awards",
        )
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from error
    names = [f.name for f in stored.files.values()]
    try:
        if stored.inspected.kind == Kind.IMAGE:
            main, thumb = stored.files["display"], stored.files["thumb"]
            attachment = Attachment(
                nomination=nomination,
                kind=Attachment.Kind.IMAGE,
                file_name=main.name,
                mime=main.mime,
                thumb_name=thumb.name,
                thumb_mime=thumb.mime,
                size=main.size,
            )
        else:
            document = stored.files["document"]
            attachment = Attachment(
                nomination=nomination,
                kind=Attachment.Kind.PDF,
                file_name=document.name,
                mime=document.mime,
                size=document.size,
            )
        attachment.display_name = stored.inspected.display_name[:100]
        attachment.caption = caption.strip()[:200]
        attachment.full_clean()
        attachment.save()
    except Exception:
        delete_stored(private_storage, names)
        raise
    log_activity(nomination, "awards.attachment.added", by=by, data={"attachment": attachment.pk})
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: Any) -> None:
    """Remove a draft's attachment (its files are deleted once this commits)."""
    nomination = attachment.nomination
    _require_owner(by, nomination)
    _require_draft(nomination)
    names = [n for n in (attachment.file_name, attachment.thumb_name) if n]
    log_activity(
        nomination, "awards.attachment.removed", by=by, data={"name": attachment.display_name}
    )
    attachment.delete()
    transaction.on_commit(partial(delete_stored, private_storage, names))


def _missing(nomination: Nomination) -> list[str]:
    missing = []
    if not nomination.story.strip():
        missing.append(_("Tell the story of the nomination."))
    missing.extend(
        _("Answer: %(question)s") % {"question": question}
        for question in nomination.category.question_list()
        if not str(nomination.answers.get(question, "")).strip()
    )
    return missing


@transaction.atomic
def submit_nomination(*, nomination: Nomination, by: Any) -> Nomination:
    """Submit a complete draft before the deadline. The committee's own counts at once; a
    third party's waits for the committee's confirmation: its admins get a single-use link
    (only its hash is stored). Raises ValidationError listing what is missing, after the
    deadline, or when the committee is no longer eligible."""
    _require_owner(by, nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _require_draft(nomination)
    _check_open(nomination.category)
    missing = _missing(nomination)
    if missing:
        raise ValidationError(missing)
    eligibility = check_eligibility(
        category=nomination.category, member=nomination.member, community=nomination.community
    )
    if not eligibility.eligible:
        raise ValidationError(eligibility.problems)
    if nomination.third_party and not nomination.member.admins.exists():
        raise ValidationError(
            _(
                "%(member)s has no admin on the platform to confirm this nomination: ask the "
                "association's staff to add one."
            )
            % {"member": nomination.member.name}
        )
    now = timezone.now()
    nomination.submitted_at = now
    if nomination.third_party:
        nomination.state = Nomination.State.AWAITING
        token = secrets.token_urlsafe(32)
        nomination.confirm_token_hash = hash_token(token)
        nomination.confirm_expires_at = now + datetime.timedelta(days=CONFIRM_DAYS)
        nomination.save()
        _ask_confirmation(nomination, token, by)
    else:
        nomination.state = Nomination.State.SUBMITTED
        nomination.save()
    log_activity(nomination, "awards.nomination.submitted", by=by, data={"state": nomination.state})
    return nomination


def confirm_url(token: str) -> str:
    return absolute_url(reverse("awards:confirm", kwargs={"token": token}))


def _ask_confirmation(nomination: Nomination, token: str, by: Any) -> None:
    context = {
        "nominator": nomination.nominator,
        "nominee": nomination.nominee_name,
        "member": nomination.member.name,
        "category": nomination.category.name,
        "cycle": str(nomination.category.cycle),
        "expires": formats.date_format(timezone.localtime(nomination.confirm_expires_at)),
        "confirm_url": confirm_url(token),
    }
    for admin in nomination.member.admins.all():
        queue_email(
            to=admin.email,
            template=emails.CONFIRM_REQUEST,
            context=context,
            recipient=admin,
            related=nomination,
            by=by,
        )


def nomination_for_token(token: str) -> Nomination | None:
    """The nomination a confirmation link names, whatever its state (None if unknown)."""
    if not token or len(token) > 200:
        return None
    return (
        Nomination.objects.select_related("category__cycle", "member", "community")
        .filter(confirm_token_hash=hash_token(token))
        .first()
    )


def token_problem(nomination: Nomination | None) -> str:
    """Why a confirmation link no longer works ("" while it does)."""
    if nomination is None:
        return _("This link is not valid. Ask whoever nominated you to send it again.")
    if nomination.state != Nomination.State.AWAITING:
        return _("This link has been used: the nomination is already confirmed or withdrawn.")
    if nomination.confirm_expires_at is None or timezone.now() >= nomination.confirm_expires_at:
        return _("This link has expired. Ask whoever nominated you to contact the association.")
    return ""


@transaction.atomic
def confirm_nomination(*, token: str) -> Nomination:
    """The nominee's committee confirms a third party's nomination by its single-use link
    (the link is the authority, as a consent link is): it counts from now. Raises
    ValidationError when the link is unknown, used or expired."""
    found = nomination_for_token(token)
    if found is not None:
        found = Nomination.objects.select_for_update().get(pk=found.pk)
    problem = token_problem(found)
    if problem:
        raise ValidationError(problem)
    assert found is not None  # noqa: S101 (token_problem answered for None)
    found.state = Nomination.State.SUBMITTED
    found.confirmed_at = timezone.now()
    found.save()
    log_activity(found, "awards.nomination.confirmed", by=None, data={"member": found.member_id})
    return found


@transaction.atomic
def withdraw_nomination(*, nomination: Nomination, by: Any) -> Nomination:
    """Withdraw a nomination (any state but withdrawn) before judging of its category starts;
    the committee may then nominate again in the category."""
    _require_owner(by, nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state == Nomination.State.WITHDRAWN:
        raise ValidationError(_("This nomination is already withdrawn."))
    if nomination.category.round_id is not None:
        raise ValidationError(_("Judging has started: write to the association to withdraw."))
    nomination.state = Nomination.State.WITHDRAWN
    nomination.confirm_token_hash = ""
    nomination.save()
    log_activity(nomination, "awards.nomination.withdrawn", by=by)
    return nomination
