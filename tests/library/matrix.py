"""The library's routes in the C1 matrix: a members-only resource (Springfield's committee,
in good standing, opens it; the public, another committee not in good standing and staff
without their second factor are told why they may not: 403), a staff-only one (404 for all
but staff) and staff's pages. A lapsed member's refusal with its reasons is in
tests/library/test_access.py (the matrix's other committee has no membership at all)."""

from tests.library.helpers import in_good_standing, link
from tests.matrix import EVERYONE, STAFF_ACTION, STAFF_PAGE
from twinning.library.models import Resource
from twinning.network.models import Member

MEMBERS_PAGE = (302, 403, 200, 403, 403, 200)
MEMBERS_OPEN = (302, 403, 302, 403, 403, 302)  # a link: a redirect to its address
STAFF_ONLY = (404, 404, 404, 404, 404, 200)

MATRIX = {
    "library:resource_list": ("/library/?q=guide", EVERYONE),
    "library:resource_detail": ("/library/{library_members}/", MEMBERS_PAGE),
    "library:version_detail": ("/library/{library_staff}/v1/", STAFF_ONLY),
    "library:version_open": ("/library/{library_members}/v1/open/", MEMBERS_OPEN),
    "library:staff_resource_list": ("/staff/library/", STAFF_PAGE),
    "library:staff_resource_create": ("/staff/library/new/", STAFF_PAGE),
    "library:staff_topic_list": ("/staff/library/topics/", STAFF_PAGE),
    "library:staff_statistics": ("/staff/library/downloads/", STAFF_PAGE),
    "library:staff_statistics_csv": ("/staff/library/downloads.csv", STAFF_PAGE),
    "library:staff_statistics_xlsx": ("/staff/library/downloads.xlsx", STAFF_PAGE),
    "library:staff_resource_edit": ("/staff/library/{library_members}/", STAFF_PAGE),
    "library:staff_version_add": ("/staff/library/{library_members}/versions/", STAFF_PAGE),
    "library:staff_translation_link": (
        "/staff/library/{library_members}/translations/",
        STAFF_ACTION,
    ),
}


def build_world(base: dict) -> dict:
    in_good_standing(Member.objects.get(slug=base["member"]))
    members = link("Matrix members guide", access=Resource.Access.MEMBERS)
    staff = link("Matrix staff guide", access=Resource.Access.STAFF)
    return {"library_members": members.slug, "library_staff": staff.slug}
