"""The awards' routes in the C1 matrix."""

from tests.awards.helpers import build_world
from tests.matrix import EVERYONE, STAFF_ACTION, STAFF_PAGE

__all__ = ["MATRIX", "build_world"]

N = "/awards/nominations/{awards_nomination}/"
S = "/awards/staff/{awards_cycle}/"
OWN = (302, 404, 200, 404, 404, 404)  # the committee's own (staff use the staff pages)
OWN_POST = (302, 404, 405, 404, 404, 405)
NOMINATION = (302, 404, 200, 404, 404, 200)  # staff see every nomination
NOT_FOUND = (404,) * 6

MATRIX = {
    "awards:archive": ("/awards/winners/", EVERYONE),
    "awards:winners_feed": ("/awards/winners/feed/", EVERYONE),
    "awards:winner": ("/awards/winners/{awards_honour}/", EVERYONE),
    "awards:winner_photo": ("/awards/winners/{awards_honour}/photos/0/thumb/", NOT_FOUND),
    "awards:confirm": ("/awards/confirm/not-a-token/", NOT_FOUND),
    "awards:portal": ("/awards/portal/{member}/", OWN),
    "awards:nomination_start": (
        "/awards/portal/{member}/categories/{awards_category_pk}/start/",
        OWN,
    ),
    "awards:nominate_other": ("/awards/nominate/", (302, 404, 200, 200, 404, 200)),
    "awards:nomination": (N, NOMINATION),
    "awards:nomination_attach": (f"{N}attach/", OWN_POST),
    "awards:attachment_remove": (f"{N}attachments/{{awards_photo}}/remove/", OWN_POST),
    "awards:nomination_submit": (f"{N}submit/", OWN_POST),
    "awards:nomination_withdraw": (f"{N}withdraw/", OWN_POST),
    "awards:certificate": (f"{N}certificate.pdf", (302, 404, 404, 404, 404, 404)),
    "awards:attachment": ("/awards/files/{awards_photo}/thumb/", NOMINATION),
    "awards:staff_cycles": ("/awards/staff/", STAFF_PAGE),
    "awards:staff_import": ("/awards/staff/import/", STAFF_PAGE),
    "awards:staff_cycle": (S, STAFF_PAGE),
    "awards:staff_announce": (f"{S}announce/", STAFF_ACTION),
    "awards:staff_category": (f"{S}{{awards_category}}/", STAFF_PAGE),
    "awards:staff_category_new": (f"{S}categories/new/", STAFF_PAGE),
    "awards:staff_category_edit": (f"{S}{{awards_category}}/edit/", STAFF_PAGE),
    "awards:staff_open_judging": (f"{S}{{awards_category}}/judging/", STAFF_ACTION),
    "awards:staff_ranking": (f"{S}{{awards_category}}/ranking/", STAFF_PAGE),
    "awards:staff_decide": (f"{S}{{awards_category}}/ranking/1/decide/", STAFF_ACTION),
}
