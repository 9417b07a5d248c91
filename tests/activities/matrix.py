"""C1 rows of the activities app: the public impact page and exports, the committee's pages
under /portal/<member>/activities/ (their own member only) and the staff pages."""

from tests.matrix import EVERYONE, OWN_MEMBER, STAFF_ACTION, STAFF_PAGE

POST_ONLY = (302, 405, 405, 405, 405, 405)  # sign-in first, then the method is refused
_ONE = "/portal/{member}/activities/{activity}/"
_DELEGATION = "/portal/{member}/activities/{delegation}/"

MATRIX = {
    "activities:impact": ("/impact/", EVERYONE),
    "activities:impact_csv": ("/impact/export.csv?year=2025", EVERYONE),
    "activities:impact_xlsx": ("/impact/export.xlsx", EVERYONE),
    "activities:portal_activity_list": ("/portal/{member}/activities/", OWN_MEMBER),
    "activities:portal_activity_create": ("/portal/{member}/activities/new/", OWN_MEMBER),
    "activities:portal_activity_detail": (_ONE, OWN_MEMBER),
    "activities:portal_activity_edit": (_ONE + "edit/", OWN_MEMBER),
    "activities:portal_activity_submit": (_ONE + "submit/", POST_ONLY),
    "activities:portal_traveller_add": (_DELEGATION + "travellers/", POST_ONLY),
    "activities:portal_traveller_remove": (
        _DELEGATION + "travellers/{traveller}/remove/",
        POST_ONLY,
    ),
    "activities:portal_letter_download": (
        _DELEGATION + "travellers/{traveller}/letter.pdf",
        OWN_MEMBER,
    ),
    "activities:portal_stop_add": (_DELEGATION + "itinerary/", POST_ONLY),
    "activities:portal_stop_remove": (_DELEGATION + "itinerary/{stop}/remove/", POST_ONLY),
    "activities:portal_letters_request": (_DELEGATION + "letters/", POST_ONLY),
    "activities:portal_photo_add": (_ONE + "photos/", POST_ONLY),
    "activities:portal_photo_remove": (_ONE + "photos/{photo}/remove/", POST_ONLY),
    "activities:portal_photo_file": (_ONE + "photos/{photo}/thumb/", OWN_MEMBER),
    "activities:staff_activity_list": ("/staff/activities/?state=submitted", STAFF_PAGE),
    "activities:staff_dormant_list": ("/staff/activities/dormant/?years=3", STAFF_PAGE),
    "activities:staff_activity_detail": ("/staff/activities/{activity}/", STAFF_PAGE),
    "activities:staff_activity_request_changes": (
        "/staff/activities/{activity}/request-changes/",
        STAFF_ACTION,
    ),
    "activities:staff_activity_verify": ("/staff/activities/{activity}/verify/", STAFF_ACTION),
    "activities:staff_letter_download": (
        "/staff/activities/{delegation}/travellers/{traveller}/letter.pdf",
        STAFF_PAGE,
    ),
    "activities:staff_photo_file": (
        "/staff/activities/{activity}/photos/{photo}/display/",
        STAFF_PAGE,
    ),
    "activities:staff_report_list": ("/staff/impact/report/", STAFF_PAGE),
    "activities:staff_report_download": ("/staff/impact/report/{annual_report}.pdf", STAFF_PAGE),
}


def tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def build_world(base: dict) -> dict:
    """A draft report with a photo, a delegation with a traveller, a stop and a built letter,
    and a built annual report, all of Springfield's member."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from twinning.activities import services
    from twinning.activities.models import AnnualReport
    from twinning.network.models import Member, Partnership

    member = Member.objects.get(slug=base["member"])
    admin = member.admins.get()
    partnership = Partnership.objects.get(pk=base["partnership"])
    dates = {"start_date": datetime.date(2025, 5, 1), "end_date": datetime.date(2025, 5, 4)}
    activity = services.create_activity(
        member=member,
        partnerships=[partnership],
        by=admin,
        title="Matrix",
        kind="festival",
        **dates,
    )
    photo = services.add_photo(
        activity=activity,
        upload=SimpleUploadedFile("p.png", tiny_png(), "image/png"),
        caption="A stage",
        by=admin,
    )
    delegation = services.create_activity(
        member=member,
        partnerships=[partnership],
        by=admin,
        title="Delegation",
        kind="trade_delegation",
        is_delegation=True,
        **dates,
    )
    traveller = services.add_traveller(activity=delegation, name="Ana", role="head", by=admin)
    stop = services.add_itinerary_stop(
        activity=delegation, date=dates["start_date"], place="Hall", purpose="Visit", by=admin
    )
    (letter,) = services.request_invitation_letters(activity=delegation, by=admin)
    services.build_invitation_letter(letter=letter)
    report = AnnualReport.objects.create(year=2025)
    services.build_annual_report(report=report)
    return {
        "activity": activity.pk,
        "photo": photo.pk,
        "delegation": delegation.pk,
        "traveller": traveller.pk,
        "stop": stop.pk,
        "annual_report": report.pk,
    }
