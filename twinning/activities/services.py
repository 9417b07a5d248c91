"""Writes on activity reports (C4, C5): a committee reports, edits and submits its activities
and a delegation's travellers and itinerary, and asks for invitation letters; staff send a
report back with a message or verify it. Every service runs in one transaction, leaves an
audit entry, and schedules follow-up work (letters, e-mail) once the transaction commits."""

import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from twinning.activities.models import (
    KIND_SECTOR,
    Activity,
    AnnualReport,
    InvitationLetter,
    ItineraryStop,
    Photo,
    Traveller,
)
from twinning.activities.queries import member_partnerships
from twinning.core.authz import SYSTEM, acting_user, is_verified_staff, require
from twinning.core.reverse import absolute_url
from twinning.core.services import get_association, log_activity
from twinning.network.models import Community, Member, Partnership

# The fields a committee fills in on the report form (anything else is refused, C4).
ACTIVITY_FIELDS = (
    "title",
    "sector",
    "kind",
    "is_delegation",
    "description",
    "start_date",
    "end_date",
    "places",
    "visitors_under_18",
    "visitors_18_30",
    "visitors_over_30",
    "hosts_under_18",
    "hosts_18_30",
    "hosts_over_30",
    "volunteer_hours",
    "money_raised",
    "money_spent",
    "agreements_signed",
    "policies_adopted",
    "people_trained",
    "follow_ups",
)


def _check_reporter(member: Member, by: Any) -> None:
    """Only the member's committee admins (or verified staff, or the platform) report for it;
    anyone else gets NotAllowed."""
    if not is_verified_staff(by):
        require(by, "activities.report_activity", member)


def _check_editable(activity: Activity) -> None:
    if not activity.is_editable:
        raise ValidationError(
            _(
                "This report is with the association's staff and cannot be changed now; "
                "they will send it back if anything needs changing."
            )
        )


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if fields.get("kind") and not fields.get("sector"):
        fields["sector"] = KIND_SECTOR.get(fields["kind"], "")
    return fields


def _checked_partnerships(member: Member, partnerships: Any) -> list[Partnership]:
    """The chosen partnerships, all of them the member's own (ACC-3): an id of
    another committee's partnership is refused, never silently dropped."""
    chosen = list(partnerships or [])
    if not chosen:
        raise ValidationError({"partnerships": _("Choose at least one of your partnerships.")})
    ids = {p.pk for p in chosen}
    own = set(member_partnerships(member).filter(pk__in=ids).values_list("pk", flat=True))
    if own != ids:
        raise ValidationError(
            {"partnerships": _("Choose partnerships of your own member's communities only.")}
        )
    return chosen


def _check_counterpart(member: Member, community: Any, counterpart: Community) -> None:
    """An activity without a partnership: `community` is one of the member's own, and
    `counterpart` another community it has no partnership with (else the report belongs on
    that partnership)."""
    if community is None or not member.communities.filter(pk=community.pk).exists():
        raise ValidationError({"community": _("Choose one of your member's communities.")})
    if counterpart.pk == community.pk:
        raise ValidationError({"counterpart": _("Choose another community than your own.")})
    if Partnership.objects.between(community, counterpart).exists():
        raise ValidationError(
            {
                "counterpart": _(
                    "%(a)s and %(b)s are partners: report the activity on their partnership."
                )
                % {"a": community.name, "b": counterpart.name}
            }
        )


@transaction.atomic
def create_activity(
    *,
    member: Member,
    by: Any,
    partnerships: Any = None,
    community: Community | None = None,
    counterpart: Community | None = None,
    **fields: Any,
) -> Activity:
    """Start a draft report of an activity for `member`, on some of its partnerships; or, for
    an exchange with a community that is not (yet) a partner, between one of the member's
    communities (`community`) and that `counterpart`, on no partnership.
    Raises NotAllowed for a user who does not run the member, ValidationError for bad input."""
    _check_reporter(member, by)
    fields = _clean_fields(fields)
    if counterpart is not None:
        if partnerships:
            raise ValidationError(
                {
                    "partnerships": _(
                        "An activity with a community that is not a partner names no partnership."
                    )
                }
            )
        _check_counterpart(member, community, counterpart)
        chosen: list[Partnership] = []
    else:
        community = None
        chosen = _checked_partnerships(member, partnerships)
    activity = Activity(
        member=member,
        community=community,
        counterpart=counterpart,
        created_by=acting_user(by),
        **fields,
    )
    activity.full_clean()
    activity.save()
    activity.partnerships.set(chosen)
    data = {"title": activity.title, "kind": activity.kind, "member": member.name}
    if counterpart is not None:
        data["counterpart"] = counterpart.name
    log_activity(activity, "activities.activity.created", by=by, data=data)
    return activity


@transaction.atomic
def update_activity(
    *, activity: Activity, by: Any, partnerships: Any = None, **fields: Any
) -> Activity:
    """Change a draft (or a report sent back by staff). Only the report's own fields."""
    _check_reporter(activity.member, by)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_editable(activity)
    fields = _clean_fields(fields)
    changed = {k: v for k, v in fields.items() if getattr(activity, k) != v}
    for name, value in changed.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    if activity.counterpart_id is not None and partnerships:
        raise ValidationError(
            {
                "partnerships": _(
                    "An activity with a community that is not a partner names no partnership."
                )
            }
        )
    if partnerships is not None and activity.counterpart_id is None:
        chosen = _checked_partnerships(activity.member, partnerships)
        before = set(activity.partnerships.values_list("pk", flat=True))
        if before != {p.pk for p in chosen}:
            activity.partnerships.set(chosen)
            changed["partnerships"] = sorted(p.pk for p in chosen)
    log_activity(
        activity,
        "activities.activity.changed",
        by=by,
        data={k: str(v)[:200] for k, v in changed.items()},
    )
    return activity


def _submission_problems(activity: Activity) -> list[str]:
    problems = []
    if activity.counterpart_id is None and not activity.partnerships.exists():
        problems.append(_("Choose at least one of your partnerships."))
    if activity.is_delegation:
        if not activity.travellers.exists():
            problems.append(_("A delegation needs at least one traveller."))
        if not activity.itinerary.exists():
            problems.append(_("A delegation needs at least one stop on its itinerary."))
    return problems


@transaction.atomic
def submit_activity(*, activity: Activity, by: Any) -> Activity:
    """Send the report to staff. A delegation needs its travellers and itinerary first."""
    _check_reporter(activity.member, by)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_editable(activity)
    problems = _submission_problems(activity)
    if problems:
        raise ValidationError(problems)
    old = activity.state
    activity.state = Activity.State.SUBMITTED
    activity.submitted_at = timezone.now()
    activity.save(update_fields=["state", "submitted_at", "updated_at"])
    log_activity(activity, "activities.activity.submitted", by=by, data={"from": old})
    return activity


def _committee_addresses(member: Member) -> list[Any]:
    return list(member.admins.filter(is_active=True).exclude(email="").order_by("pk"))


@transaction.atomic
def request_changes(*, activity: Activity, message: str, by: Any) -> Activity:
    """Staff send a submitted (or verified) report back to the committee with a message,
    which is e-mailed to the member's committee admins through the outbox."""
    require(by, "activities.review_activity")
    activity = Activity.objects.select_for_update().select_related("member").get(pk=activity.pk)
    if activity.state not in (Activity.State.SUBMITTED, Activity.State.VERIFIED):
        raise ValidationError(_("Only a submitted or verified report can be sent back."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Tell the committee what to change.")})
    old = activity.state
    activity.state = Activity.State.CHANGES_REQUESTED
    activity.staff_message = message
    activity.verified_at = None
    activity.verified_by = None
    activity.save()
    log_activity(
        activity,
        "activities.activity.changes_requested",
        by=by,
        data={"from": old, "message": message[:500]},
    )
    _email_committee(activity, message=message, by=by)
    if old == Activity.State.VERIFIED:
        transaction.on_commit(bump_impact_version)
    return activity


def _email_committee(activity: Activity, *, message: str, by: Any) -> None:
    from twinning.activities.emails import CHANGES_REQUESTED
    from twinning.outbox.services import queue_email

    portal_url = absolute_url(
        reverse(
            "activities:portal_activity_detail",
            kwargs={"slug": activity.member.slug, "pk": activity.pk},
        )
    )
    for admin in _committee_addresses(activity.member):
        queue_email(
            to=admin.email,
            template=CHANGES_REQUESTED,
            context={
                "member": activity.member.name,
                "activity": activity.title,
                "message": message,
                "start_date": activity.start_date.isoformat(),
                "portal_url": portal_url,
            },
            recipient=admin,
            by=by,
            related=activity,
        )


@transaction.atomic
def verify_activity(*, activity: Activity, by: Any) -> Activity:
    """Staff mark a submitted report verified: it now counts in the impact figures."""
    require(by, "activities.review_activity")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.state != Activity.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be verified."))
    activity.state = Activity.State.VERIFIED
    activity.verified_at = timezone.now()
    activity.verified_by = acting_user(by)
    activity.staff_message = ""
    activity.save()
    log_activity(activity, "activities.activity.verified", by=by)
    transaction.on_commit(bump_impact_version)
    return activity


def bump_impact_version() -> None:
    from twinning.activities.impact import invalidate_impact

    invalidate_impact()


# --- Delegations -------------------------------------------------------------------------------


def _check_delegation(activity: Activity) -> None:
    if not activity.is_delegation:
        raise ValidationError(_("Only a delegation has travellers and an itinerary."))


@transaction.atomic
def add_traveller(*, activity: Activity, name: str, role: str, by: Any) -> Traveller:
    """Add a person to a delegation (name and role only: no passport data is collected)."""
    _check_reporter(activity.member, by)
    _check_editable(activity)
    _check_delegation(activity)
    traveller = Traveller(activity=activity, name=(name or "").strip(), role=role)
    traveller.full_clean()
    traveller.save()
    log_activity(
        activity,
        "activities.traveller.added",
        by=by,
        data={"traveller": traveller.pk, "role": role},
    )
    return traveller


@transaction.atomic
def remove_traveller(*, traveller: Traveller, by: Any) -> None:
    """Remove a traveller and their invitation letter, if any."""
    activity = traveller.activity
    _check_reporter(activity.member, by)
    _check_editable(activity)
    from twinning.documents.services import discard_document

    letter = getattr(traveller, "letter", None)
    letter_file = getattr(letter, "file_name", "")
    pk = traveller.pk
    traveller.delete()
    # The letter's text and values name the traveller: forgotten with them.
    discard_document(document=getattr(letter, "document", None))
    log_activity(activity, "activities.traveller.removed", by=by, data={"traveller": pk})
    if letter_file:
        transaction.on_commit(partial(_delete_private_file, letter_file))


@transaction.atomic
def add_itinerary_stop(
    *, activity: Activity, date: datetime.date, place: str, purpose: str, by: Any
) -> ItineraryStop:
    """Add a day's stop to a delegation's itinerary, within the activity's dates."""
    _check_reporter(activity.member, by)
    _check_editable(activity)
    _check_delegation(activity)
    if date is None or not (activity.start_date <= date <= activity.end_date):
        raise ValidationError(
            {
                "date": _("Choose a date from %(start)s to %(end)s, the activity's dates.")
                % {"start": activity.start_date.isoformat(), "end": activity.end_date.isoformat()}
            }
        )
    stop = ItineraryStop(
        activity=activity, date=date, place=(place or "").strip(), purpose=(purpose or "").strip()
    )
    stop.full_clean()
    stop.save()
    log_activity(activity, "activities.itinerary.added", by=by, data={"date": date.isoformat()})
    return stop


@transaction.atomic
def remove_itinerary_stop(*, stop: ItineraryStop, by: Any) -> None:
    activity = stop.activity
    _check_reporter(activity.member, by)
    _check_editable(activity)
    pk = stop.pk
    stop.delete()
    log_activity(activity, "activities.itinerary.removed", by=by, data={"stop": pk})


def _delete_private_file(*names: str) -> None:
    from twinning.core.media import delete_stored, private_storage

    delete_stored(private_storage, names)


# --- Photos --------------------------------------------------------------------------------------

PHOTO_LIMITS_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 20


@transaction.atomic
def add_photo(*, activity: Activity, upload: Any, caption: str, by: Any) -> Photo:
    """Add a photo to a report. The upload is checked by its content and only re-encoded
    derivatives without metadata are kept (UPL-1, UPL-3, PRIV-9); a refused file leaves
    nothing behind. At most MAX_PHOTOS per activity (UPL-7)."""
    from twinning.core.media import delete_stored, private_storage, store_upload
    from twinning.core.uploads import Kind as UploadKind
    from twinning.core.uploads import UploadLimits

    _check_reporter(activity.member, by)
    _check_editable(activity)
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError({"caption": _("Say what the photo shows.")})
    if activity.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("A report holds at most %(n)d photos: remove one first.") % {"n": MAX_PHOTOS}
        )
    stored = store_upload(
        upload,
        allowed=[UploadKind.IMAGE],
        limits=UploadLimits(max_bytes=PHOTO_LIMITS_BYTES),
        folder="activities/photos",
    )
    names = [f.name for f in stored.files.values()]
    if activity.photos.filter(sha256=stored.inspected.sha256).exists():
        delete_stored(private_storage, names)
        raise ValidationError(_("This photo is already in the report."))
    photo = Photo(
        activity=activity,
        display_file=stored.files["display"].name,
        thumb_file=stored.files["thumb"].name,
        content_type=stored.files["display"].mime,
        thumb_content_type=stored.files["thumb"].mime,
        display_name=stored.inspected.display_name,
        caption=caption,
        width=stored.inspected.width,
        height=stored.inspected.height,
        sha256=stored.inspected.sha256,
    )
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        delete_stored(private_storage, names)
        raise
    log_activity(
        activity,
        "activities.photo.added",
        by=by,
        data={"photo": photo.pk, "name": photo.display_name},
    )
    return photo


@transaction.atomic
def remove_photo(*, photo: Photo, by: Any) -> None:
    activity = photo.activity
    _check_reporter(activity.member, by)
    _check_editable(activity)
    names = (photo.display_file, photo.thumb_file)
    pk = photo.pk
    photo.delete()
    log_activity(activity, "activities.photo.removed", by=by, data={"photo": pk})
    transaction.on_commit(partial(_delete_private_file, *names))


# --- Invitation letters ------------------------------------------------------------------------


@transaction.atomic
def request_invitation_letters(*, activity: Activity, by: Any) -> list[InvitationLetter]:
    """Ask for a fresh invitation letter for every traveller of a delegation; a task builds
    each PDF once the transaction commits (an existing letter is rebuilt, so a changed
    itinerary shows on it)."""
    _check_reporter(activity.member, by)
    _check_delegation(activity)
    travellers = list(activity.travellers.all())
    if not travellers:
        raise ValidationError(_("Add the delegation's travellers first."))
    letters = []
    for traveller in travellers:
        letter, _created = InvitationLetter.objects.update_or_create(
            traveller=traveller,
            defaults={"state": InvitationLetter.State.PENDING, "requested_by": acting_user(by)},
        )
        letters.append(letter)
        transaction.on_commit(partial(_enqueue_letter, letter.pk))
    log_activity(
        activity, "activities.letters.requested", by=by, data={"travellers": len(travellers)}
    )
    return letters


def _enqueue_letter(letter_id: int) -> None:
    from twinning.activities.tasks import build_invitation_letter_task

    build_invitation_letter_task.enqueue(letter_id=letter_id)


def _partner_names(activity: Activity) -> list[str]:
    if activity.counterpart_id is not None:
        pair = (activity.community, activity.counterpart)
        return [" – ".join(f"{c.name} ({c.country.name})" for c in pair if c is not None)]
    return [
        f"{p.community_a.name} ({p.community_a.country.name}) – "
        f"{p.community_b.name} ({p.community_b.country.name})"
        for p in activity.partnerships.select_related(
            "community_a__country", "community_b__country"
        )
    ]


def _letter_values(traveller: Any, activity: Activity) -> dict[str, Any]:
    """What the visa letter (documents' `visa_letter`) says of a traveller and the delegation;
    dates in the site's language, no passport data (the consulate matches the name)."""

    def day(value: Any) -> str:
        return formats.date_format(value, "DATE_FORMAT")

    return {
        "traveller_name": traveller.name,
        "traveller_role": traveller.get_role_display().lower(),
        "activity_title": activity.title,
        "start_date": day(activity.start_date),
        "end_date": day(activity.end_date),
        "partners": "; ".join(_partner_names(activity)),
        "places": activity.places,
        "itinerary": [
            {"date": day(stop.date), "place": stop.place, "purpose": stop.purpose}
            for stop in activity.itinerary.all()
        ],
    }


@transaction.atomic
def build_invitation_letter(*, letter: InvitationLetter) -> InvitationLetter:
    """Build (or rebuild) one letter's PDF into private storage. The letter is a document of
    the documents app (`visa_letter`: staff's text per language, kept with its values in
    `letter.document`); its PDF is kept here. Running it twice leaves one file (IDEM-4): the
    previous file is removed once the new one is recorded."""
    from twinning.core.media import store_bytes
    from twinning.documents.pdf import document_pdf
    from twinning.documents.services import discard_document, generate_document

    letter = (
        InvitationLetter.objects.select_for_update()
        .select_related("traveller__activity__member")
        .get(pk=letter.pk)
    )
    traveller = letter.traveller
    activity = traveller.activity
    with translation.override(settings.LANGUAGE_CODE):
        document = generate_document(
            kind="visa_letter",
            member=activity.member,
            values=_letter_values(traveller, activity),
            language=settings.LANGUAGE_CODE,
            by=SYSTEM,
            build=False,
        )
        data = document_pdf(texts=document.texts, association=get_association())
    old, old_document = letter.file_name, letter.document
    letter.file_name = store_bytes(data, extension="pdf", folder="activities/letters")
    letter.document = document
    letter.state = InvitationLetter.State.READY
    letter.generated_at = timezone.now()
    letter.save()
    log_activity(activity, "activities.letter.built", data={"traveller": traveller.pk})
    discard_document(document=old_document)  # one letter per traveller, as its file
    if old:
        transaction.on_commit(partial(_delete_private_file, old))
    return letter


# --- Annual report -------------------------------------------------------------------------------


@transaction.atomic
def request_annual_report(*, year: int, by: Any) -> AnnualReport:
    """Staff ask for the annual report of `year`; a task builds the PDF once this commits."""
    require(by, "activities.build_annual_report")
    report = AnnualReport(year=year, requested_by=acting_user(by))
    report.full_clean()
    report.save()
    log_activity(report, "activities.annual_report.requested", by=by, data={"year": year})
    transaction.on_commit(partial(_enqueue_report, report.pk))
    return report


def _enqueue_report(report_id: int) -> None:
    from twinning.activities.tasks import build_annual_report_task

    build_annual_report_task.enqueue(report_id=report_id)


@transaction.atomic
def build_annual_report(*, report: AnnualReport) -> AnnualReport:
    """Build the report's PDF from the verified activities of its year (rebuilding replaces
    the file; IDEM-4)."""
    from twinning.activities.impact import ImpactFilters, for_display, impact_figures
    from twinning.activities.pdf import annual_report_pdf
    from twinning.core.media import store_bytes

    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    with translation.override(settings.LANGUAGE_CODE):
        display = for_display(impact_figures(ImpactFilters(year=report.year)))
        data = annual_report_pdf(year=report.year, display=display, association=get_association())
    old = report.file_name
    report.file_name = store_bytes(data, extension="pdf", folder="activities/reports")
    report.state = AnnualReport.State.READY
    report.generated_at = timezone.now()
    report.error = ""
    report.save()
    log_activity(report, "activities.annual_report.built", data={"year": report.year})
    if old:
        transaction.on_commit(partial(_delete_private_file, old))
    return report
