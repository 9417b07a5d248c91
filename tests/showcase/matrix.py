"""The showcase's routes in the C1 matrix (shared by the showcase's two parts: students,
guardians and staff here; judging and the exhibit add theirs below). Roles beyond the six
(students, guardians, judges) are covered by the role tests in tests/showcase/test_*views.py."""

import datetime

from django.utils import timezone

from tests.matrix import EVERYONE, SIGNED_IN, STAFF_ACTION, STAFF_PAGE

NOBODY = (404,) * 6
OWN_STUDENT_ONLY = (302, 404, 404, 404, 404, 404)  # the matrix's roles are not students
POST_ONLY_SIGNED_IN = (302, 405, 405, 405, 405, 405)
STUDENT_REDIRECT = (302,) * 6

MATRIX = {
    # Students (twinning/showcase/views/students.py)
    "showcase:edition_list": ("/showcase/", EVERYONE),
    "showcase:community_search": ("/showcase/communities.json?q=spr", EVERYONE),
    "showcase:edition_enter": ("/showcase/{edition}/enter/", EVERYONE),
    "showcase:edition_register": ("/showcase/{edition}/register/", STUDENT_REDIRECT),
    "showcase:entry_create": ("/showcase/{edition}/entries/new/", STUDENT_REDIRECT),
    "showcase:my_entries": ("/showcase/me/", SIGNED_IN),
    "showcase:consent_resend": ("/showcase/me/consent/resend/", POST_ONLY_SIGNED_IN),
    "showcase:my_publication": ("/showcase/me/publication/", POST_ONLY_SIGNED_IN),
    "showcase:my_data": ("/showcase/me/data.json", OWN_STUDENT_ONLY),
    "showcase:my_erasure": ("/showcase/me/erasure/", OWN_STUDENT_ONLY),
    "showcase:entry_detail": ("/showcase/entries/{entry}/", OWN_STUDENT_ONLY),
    "showcase:entry_edit": ("/showcase/entries/{entry}/edit/", OWN_STUDENT_ONLY),
    "showcase:entry_submit": ("/showcase/entries/{entry}/submit/", POST_ONLY_SIGNED_IN),
    "showcase:entry_withdraw": ("/showcase/entries/{entry}/withdraw/", POST_ONLY_SIGNED_IN),
    "showcase:entry_media": (
        "/showcase/entries/{entry}/media/display/",
        (302, 404, 404, 404, 404, 200),
    ),
    # Guardians (views/guardians.py): without the consent link's session, nothing exists.
    "showcase:consent_open": ("/showcase/consent/not-a-real-token/", NOBODY),
    "showcase:consent_form": ("/showcase/consent/", NOBODY),
    "showcase:guardian_link": ("/showcase/guardian/not-signed/", NOBODY),
    "showcase:guardian_home": ("/showcase/guardian/", NOBODY),
    "showcase:guardian_withdraw": ("/showcase/guardian/withdraw/", (405,) * 6),
    "showcase:guardian_data": ("/showcase/guardian/data.json", NOBODY),
    "showcase:guardian_erasure": ("/showcase/guardian/erasure/", NOBODY),
    # Staff (views/staff.py)
    "showcase:staff_edition_list": ("/staff/showcase/", STAFF_PAGE),
    "showcase:staff_edition_create": ("/staff/showcase/new/", STAFF_PAGE),
    "showcase:staff_edition_edit": ("/staff/showcase/{edition}/edit/", STAFF_PAGE),
    "showcase:staff_entry_list": ("/staff/showcase/{edition}/entries/", STAFF_PAGE),
    "showcase:staff_entry_detail": ("/staff/showcase/entries/{entry}/", STAFF_PAGE),
    "showcase:staff_entry_approve": ("/staff/showcase/entries/{entry}/approve/", STAFF_ACTION),
    "showcase:staff_entry_unapprove": (
        "/staff/showcase/entries/{entry}/unapprove/",
        STAFF_ACTION,
    ),
    "showcase:staff_entry_prepare_again": (
        "/staff/showcase/entries/{entry}/prepare/",
        STAFF_ACTION,
    ),
    "showcase:staff_erasure_list": ("/staff/showcase/erasure/", STAFF_PAGE),
    "showcase:staff_erasure_execute": ("/staff/showcase/erasure/{erasure}/execute/", STAFF_ACTION),
    "showcase:staff_erasure_extend": ("/staff/showcase/erasure/{erasure}/extend/", STAFF_PAGE),
    # Judging, results and the exhibit (views/judging.py, views/exhibit.py)
    "showcase:exhibit_edition": ("/showcase/{exhibit_year}/", EVERYONE),
    "showcase:exhibit_work": ("/showcase/{exhibit_year}/works/{work}/", EVERYONE),
    "showcase:exhibit_media": ("/showcase/{exhibit_year}/works/{work}/thumb/", EVERYONE),
    "showcase:my_certificates": ("/showcase/certificates/", SIGNED_IN),
    "showcase:certificate_download": ("/showcase/certificates/{certificate}/", OWN_STUDENT_ONLY),
    "showcase:judging_media": (
        "/judging/showcase/media/{derivative}",
        (302, 404, 404, 404, 404, 200),
    ),
    "showcase:portal_local_round": (
        "/portal/showcase/{edition}/local-round/",
        (302, 404, 200, 200, 404, 404),
    ),
    "showcase:portal_bookings": (
        "/portal/showcase/{exhibit}/bookings/",
        (302, 404, 200, 200, 404, 404),
    ),
    "showcase:portal_booking_cancel": (
        "/portal/showcase/{exhibit}/bookings/{booking}/cancel/",
        POST_ONLY_SIGNED_IN,
    ),
    "showcase:staff_judging": ("/staff/showcase/{exhibit}/judging/", STAFF_PAGE),
    "showcase:staff_judging_open": ("/staff/showcase/{exhibit}/judging/open/", STAFF_ACTION),
    "showcase:staff_results": ("/staff/showcase/{exhibit}/judging/results/", STAFF_PAGE),
    "showcase:staff_decide": (
        "/staff/showcase/{exhibit}/judging/items/{item}/decide/",
        STAFF_ACTION,
    ),
    "showcase:staff_publish": ("/staff/showcase/{exhibit}/judging/publish/", STAFF_ACTION),
    "showcase:staff_bookings": ("/staff/showcase/{exhibit}/bookings/", STAFF_PAGE),
}


def build_world(base: dict) -> dict:
    """An open edition with one submitted image entry (derivatives made) by a student of
    Springfield, and an open erasure request of another student."""
    from tests.factories import CommunityFactory, PartnershipFactory
    from tests.factories.members import MembershipFactory
    from tests.showcase.conftest import consent_for, make_edition, make_student
    from tests.showcase.media import png_bytes, upload
    from twinning.network.models import Community, Member, Partnership
    from twinning.showcase.models import EntryFile
    from twinning.showcase.privacy import request_erasure
    from twinning.showcase.services import (
        attach_work,
        create_entry,
        make_derivatives,
        submit_entry,
    )

    today = timezone.localdate()
    member = Member.objects.get(slug=base["member"])
    MembershipFactory(
        member=member,
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=200),
    )
    springfield = Community.objects.get(slug=base["springfield"])
    PartnershipFactory(
        community_a=springfield,
        community_b=CommunityFactory(name="Matrix Sister"),
        status=Partnership.Status.ACTIVE,
    )
    edition = make_edition(slug="matrix-edition")
    student = make_student(edition, springfield)
    consent_for(student)
    entry = create_entry(
        student=student,
        category=edition.categories.get(slug="photography"),
        title="Matrix photo",
        alt_text="A gradient",
        by=student.user,
    )
    attach_work(entry=entry, upload=upload(png_bytes(), "photo.png"), by=student.user)
    make_derivatives(entry_file=EntryFile.objects.get(entry=entry))  # the task runs on commit
    submit_entry(entry=entry, by=student.user)
    erasure = request_erasure(student=make_student(edition, springfield), requested_by="student")
    return {
        "edition": edition.slug,
        "entry": entry.pk,
        "erasure": erasure.pk,
        **build_exhibit_world(member, springfield),
    }


def build_exhibit_world(member, springfield) -> dict:
    """Last year's edition, judged and published, with one winner and one booking."""
    from django.test import TestCase

    from tests.conftest import verified
    from tests.factories import UserFactory
    from tests.showcase.conftest import make_edition
    from tests.showcase.judging_helpers import (
        entrant,
        item_of,
        judged_edition,
        published,
        submitted_entry,
    )
    from twinning.showcase.models import Certificate
    from twinning.showcase.services import book_exhibit

    staff = verified(UserFactory(email="matrix-judging-staff@example.org", is_staff=True))
    edition = make_edition(year=timezone.now().year - 1, slug="matrix-exhibit", by=staff)
    entry = submitted_entry(edition, entrant(edition, springfield))
    national = judged_edition(edition, [entry], staff_user=staff, judges=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        published(edition, [entry], staff_user=staff)
    booking = book_exhibit(
        edition=edition,
        member=member,
        month=timezone.localdate(),
        by=member.admins.first(),
    )
    return {
        "exhibit": edition.slug,
        "exhibit_year": edition.year,
        "work": entry.exhibit_work.slug,
        "certificate": Certificate.objects.get(entry=entry).pk,
        "derivative": entry.work_file.derivative_name,
        "item": item_of(entry, national).pk,
        "booking": booking.pk,
    }
