"""The activity services: reporting, editing, submitting, staff review, delegations, letters,
photos and the annual report, each with its audit entry."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.factories import PartnershipFactory
from tests.factories.activities import ActivityFactory, TravellerFactory
from twinning.activities import services
from twinning.activities.models import Activity, AnnualReport, InvitationLetter, Photo
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.media import private_storage
from twinning.core.models import ActivityLog
from twinning.documents.services import save_document_template
from twinning.outbox.models import OutboxMessage

FIELDS = {
    "title": "Jazz festival",
    "kind": "festival",
    "start_date": datetime.date(2025, 6, 1),
    "end_date": datetime.date(2025, 6, 3),
    "visitors_18_30": 12,
    "money_raised": Decimal("2500.00"),
}


def _actions(activity):
    return list(
        ActivityLog.objects.filter(object_id=str(activity.pk), action__startswith="activities.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_create_activity_saves_a_draft_with_its_sector_and_an_audit_entry(
    springfield_member, partnership, committee_admin_user
):
    activity = services.create_activity(
        member=springfield_member, partnerships=[partnership], by=committee_admin_user, **FIELDS
    )

    assert (activity.state, activity.sector, activity.kind) == ("draft", "arts", "festival")
    assert list(activity.partnerships.all()) == [partnership]
    assert _actions(activity) == ["activities.activity.created"]


def test_create_activity_refuses_another_committees_partnership_and_saves_nothing(
    springfield_member, partnership, other_partnership, committee_admin_user
):
    with pytest.raises(ValidationError) as error:
        services.create_activity(
            member=springfield_member,
            partnerships=[partnership, other_partnership],
            by=committee_admin_user,
            **FIELDS,
        )

    assert "partnerships" in error.value.message_dict
    assert Activity.objects.count() == 0


def test_create_activity_refuses_a_user_who_does_not_run_the_member(
    springfield_member, partnership, other_committee_admin_user
):
    with pytest.raises(NotAllowed):
        services.create_activity(
            member=springfield_member,
            partnerships=[partnership],
            by=other_committee_admin_user,
            **FIELDS,
        )

    assert Activity.objects.count() == 0


def test_create_activity_refuses_an_end_before_the_start(
    springfield_member, partnership, committee_admin_user
):
    fields = {**FIELDS, "end_date": datetime.date(2025, 5, 1)}

    with pytest.raises(ValidationError) as error:
        services.create_activity(
            member=springfield_member, partnerships=[partnership], by=committee_admin_user, **fields
        )

    assert "end_date" in error.value.message_dict


def test_create_activity_refuses_a_kind_of_another_sector(
    springfield_member, partnership, committee_admin_user
):
    fields = {**FIELDS, "sector": "business"}

    with pytest.raises(ValidationError) as error:
        services.create_activity(
            member=springfield_member, partnerships=[partnership], by=committee_admin_user, **fields
        )

    assert "kind" in error.value.message_dict


def test_create_activity_refuses_fields_outside_the_report(
    springfield_member, partnership, committee_admin_user
):
    with pytest.raises(ValidationError):
        services.create_activity(
            member=springfield_member,
            partnerships=[partnership],
            by=committee_admin_user,
            state="verified",
            **FIELDS,
        )

    assert Activity.objects.count() == 0


def test_update_activity_changes_a_draft(activity, committee_admin_user):
    services.update_activity(activity=activity, by=committee_admin_user, title="New title")

    activity.refresh_from_db()
    assert activity.title == "New title"
    assert _actions(activity) == ["activities.activity.changed"]


def test_update_activity_refuses_a_submitted_report(activity, committee_admin_user):
    services.submit_activity(activity=activity, by=committee_admin_user)

    with pytest.raises(ValidationError):
        services.update_activity(activity=activity, by=committee_admin_user, title="Changed")

    activity.refresh_from_db()
    assert activity.title != "Changed"


def test_submit_activity_sends_it_to_staff(activity, committee_admin_user):
    services.submit_activity(activity=activity, by=committee_admin_user)

    activity.refresh_from_db()
    assert activity.state == "submitted"
    assert activity.submitted_at is not None


def test_submit_a_delegation_needs_travellers_and_an_itinerary(delegation, committee_admin_user):
    with pytest.raises(ValidationError) as error:
        services.submit_activity(activity=delegation, by=committee_admin_user)

    assert len(error.value.messages) == 2
    delegation.refresh_from_db()
    assert delegation.state == "draft"


def test_request_changes_sends_the_message_to_the_committee_admins(
    activity, committee_admin_user, staff_user
):
    services.submit_activity(activity=activity, by=committee_admin_user)

    services.request_changes(activity=activity, message="Add the hosts, please.", by=staff_user)

    activity.refresh_from_db()
    assert (activity.state, activity.staff_message) == (
        "changes_requested",
        "Add the hosts, please.",
    )
    mail = OutboxMessage.objects.get()
    assert mail.to == committee_admin_user.email
    assert "Add the hosts, please." in mail.body


def test_request_changes_needs_a_message(activity, committee_admin_user, staff_user):
    services.submit_activity(activity=activity, by=committee_admin_user)

    with pytest.raises(ValidationError):
        services.request_changes(activity=activity, message="  ", by=staff_user)

    activity.refresh_from_db()
    assert activity.state == "submitted"
    assert OutboxMessage.objects.count() == 0


def test_a_report_sent_back_can_be_edited_and_submitted_again(
    activity, committee_admin_user, staff_user
):
    services.submit_activity(activity=activity, by=committee_admin_user)
    services.request_changes(activity=activity, message="Dates?", by=staff_user)

    services.update_activity(activity=activity, by=committee_admin_user, places="Museum")
    services.submit_activity(activity=activity, by=committee_admin_user)

    activity.refresh_from_db()
    assert (activity.state, activity.places) == ("submitted", "Museum")


def test_verify_activity_marks_a_submitted_report_verified(
    activity, committee_admin_user, staff_user
):
    services.submit_activity(activity=activity, by=committee_admin_user)

    services.verify_activity(activity=activity, by=staff_user)

    activity.refresh_from_db()
    assert (activity.state, activity.verified_by) == ("verified", staff_user)
    assert _actions(activity)[-1] == "activities.activity.verified"


def test_verify_activity_refuses_a_draft(activity, staff_user):
    with pytest.raises(ValidationError):
        services.verify_activity(activity=activity, by=staff_user)

    activity.refresh_from_db()
    assert activity.state == "draft"


def test_add_traveller_to_a_delegation(delegation, committee_admin_user):
    traveller = services.add_traveller(
        activity=delegation, name="Ana Mayor", role="head", by=committee_admin_user
    )

    assert list(delegation.travellers.all()) == [traveller]


def test_add_traveller_refuses_an_activity_that_is_not_a_delegation(activity, committee_admin_user):
    with pytest.raises(ValidationError):
        services.add_traveller(activity=activity, name="Ana", role="head", by=committee_admin_user)

    assert activity.travellers.count() == 0


def test_add_itinerary_stop_refuses_a_date_outside_the_activity(delegation, committee_admin_user):
    with pytest.raises(ValidationError) as error:
        services.add_itinerary_stop(
            activity=delegation,
            date=datetime.date(2025, 10, 1),
            place="Port",
            purpose="Visit",
            by=committee_admin_user,
        )

    assert "date" in error.value.message_dict
    assert delegation.itinerary.count() == 0


def test_invitation_letters_are_built_in_the_background_as_pdf(
    delegation, committee_admin_user, django_capture_on_commit_callbacks
):
    traveller = services.add_traveller(
        activity=delegation, name="Ana Mayor", role="head", by=committee_admin_user
    )
    services.add_itinerary_stop(
        activity=delegation,
        date=datetime.date(2025, 9, 2),
        place="Kragujevac city hall",
        purpose="Signing the trade agreement",
        by=committee_admin_user,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)

    letter = InvitationLetter.objects.get(traveller=traveller)
    assert letter.state == "ready"
    with private_storage.open(letter.file_name, "rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Ana Mayor" in text
    assert "Signing the trade agreement" in text


def test_building_a_letter_twice_leaves_one_file(
    delegation, committee_admin_user, django_capture_on_commit_callbacks
):
    traveller = TravellerFactory(activity=delegation)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)
    first = InvitationLetter.objects.get(traveller=traveller).file_name

    with django_capture_on_commit_callbacks(execute=True):
        services.build_invitation_letter(letter=InvitationLetter.objects.get(traveller=traveller))

    second = InvitationLetter.objects.get(traveller=traveller).file_name
    assert second != first
    assert not private_storage.exists(first)
    assert private_storage.exists(second)


def test_the_visa_letter_is_written_from_staffs_text_and_kept_with_its_values(
    delegation, committee_admin_user, django_capture_on_commit_callbacks
):
    save_document_template(
        kind="visa_letter",
        language="en",
        title="Letter of invitation",
        body="{{ traveller_name }} is our guest from {{ start_date }}.",
        by=SYSTEM,
    )
    traveller = TravellerFactory(activity=delegation, name="Ana Mayor")

    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)

    letter = traveller.letter
    letter.refresh_from_db()
    assert letter.document.kind == "visa_letter"
    assert letter.document.inputs["traveller_name"] == "Ana Mayor"
    with private_storage.open(letter.file_name, "rb") as handle:
        text = " ".join(PdfReader(handle).pages[0].extract_text().split())
    assert "Letter of invitation" in text
    assert "Ana Mayor is our guest from" in text


def test_a_rebuilt_letter_keeps_one_document_and_a_removed_traveller_leaves_none(
    delegation, committee_admin_user, django_capture_on_commit_callbacks
):
    from twinning.documents.models import GeneratedDocument

    traveller = TravellerFactory(activity=delegation, name="Ana Mayor")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)
    assert GeneratedDocument.objects.filter(kind="visa_letter").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_traveller(traveller=traveller, by=committee_admin_user)

    assert not GeneratedDocument.objects.filter(kind="visa_letter").exists()


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (80, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPS latitude
    exif[0x013B] = "Canary Photographer"  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_add_photo_keeps_only_derivatives_without_metadata(activity, committee_admin_user):
    upload = SimpleUploadedFile("holiday.jpg", _jpeg_with_gps(), content_type="image/jpeg")

    photo = services.add_photo(
        activity=activity, upload=upload, caption="The choir on stage", by=committee_admin_user
    )

    from PIL import Image

    with private_storage.open(photo.display_file, "rb") as handle:
        data = handle.read()
    assert b"Canary Photographer" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_add_photo_refuses_a_file_that_is_not_an_image(activity, committee_admin_user):
    upload = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")

    with pytest.raises(ValidationError):
        services.add_photo(activity=activity, upload=upload, caption="x", by=committee_admin_user)

    assert Photo.objects.count() == 0


def test_annual_report_is_built_from_the_verified_activities_of_its_year(
    springfield_member, partnership, staff_user, django_capture_on_commit_callbacks
):
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="verified",
        title="Counted",
        volunteer_hours=1234,
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_annual_report(year=2025, by=staff_user)

    report.refresh_from_db()
    assert report.state == AnnualReport.State.READY
    with private_storage.open(report.file_name, "rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "2025" in text
    assert "1,234" in text


def test_partnership_of_the_member_on_either_side_is_accepted(
    springfield, springfield_member, committee_admin_user
):
    other = PartnershipFactory()
    a, b = sorted([springfield, other.community_a], key=lambda c: c.pk)
    second_side = PartnershipFactory(community_a=a, community_b=b)

    activity = services.create_activity(
        member=springfield_member, partnerships=[second_side], by=committee_admin_user, **FIELDS
    )

    assert list(activity.partnerships.all()) == [second_side]
