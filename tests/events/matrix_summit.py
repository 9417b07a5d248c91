"""The summit's routes in the C1 matrix. None of the matrix's six roles is a chaperone, the
nurse or a summit student: those are in tests/events/test_summit_views.py and
test_summit_canary.py.

The matrix's staff do not hold the staff welfare capability (RELIABILITY P-07): the restricted
details answer them 403 with a page that says so (tests/events/test_summit_welfare.py opens
them as welfare staff)."""

from tests.matrix import STAFF_ACTION, STAFF_PAGE

WELFARE_PAGE = (302, 404, 404, 404, 302, 403)

STAFF = "/staff/events/{summit}/summit/"
ADULTS = "/events/{summit}/summit/"

MATRIX = {
    "events:summit": (STAFF, STAFF_PAGE),
    "events:summit_chaperones": (f"{STAFF}chaperones/", STAFF_PAGE),
    "events:summit_chaperone_check": (
        f"{STAFF}chaperones/{{summit_chaperone}}/check/",
        STAFF_ACTION,
    ),
    "events:summit_chaperone_remove": (
        f"{STAFF}chaperones/{{summit_chaperone}}/remove/",
        STAFF_ACTION,
    ),
    "events:summit_rooms": (f"{STAFF}rooms/", STAFF_PAGE),
    "events:summit_rooms_assign": (f"{STAFF}rooms/assign/", STAFF_ACTION),
    "events:summit_room_move": (f"{STAFF}rooms/people/{{summit_student}}/", STAFF_PAGE),
    "events:summit_teams": (f"{STAFF}teams/", STAFF_PAGE),
    "events:summit_teams_assign": (f"{STAFF}teams/assign/", STAFF_ACTION),
    "events:summit_team_move": (
        f"{STAFF}teams/diplomacy/people/{{summit_student}}/",
        STAFF_PAGE,
    ),
    "events:summit_details_edit": (
        f"{STAFF}participants/{{summit_student}}/details/",
        WELFARE_PAGE,
    ),
    "events:summit_participants": (f"{ADULTS}participants/", STAFF_PAGE),
    "events:summit_details": (f"{ADULTS}participants/{{summit_student}}/details/", WELFARE_PAGE),
    "events:summit_room_list": (f"{ADULTS}rooms/", STAFF_PAGE),
    "events:summit_room_list_pdf": (f"{ADULTS}rooms.pdf", STAFF_PAGE),
    "events:summit_team_list": (f"{ADULTS}teams/", STAFF_PAGE),
    "events:summit_team_list_pdf": (f"{ADULTS}teams.pdf", STAFF_PAGE),
}


def build_world(base: dict) -> dict:
    """A summit with a student (restricted details filled), a chaperone, a room and a team."""
    from tests.events.summit_helpers import (
        add_student,
        canary_details,
        make_summit,
        name_chaperone,
    )
    from twinning.events.models import ResidenceRoom, Team

    summit = make_summit(slug="matrix-summit")
    student = add_student(summit, name="Matrix")
    canary_details(student)
    ResidenceRoom.objects.create(event=summit, name="M1", beds=2, gender="female")
    Team.objects.create(event=summit, kind="diplomacy", name="Matrix team")
    return {
        "summit": summit.slug,
        "summit_student": student.pk,
        "summit_chaperone": name_chaperone(summit).pk,
    }
