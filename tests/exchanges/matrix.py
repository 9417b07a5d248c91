"""The exchange's routes in the C1 matrix. The sending contact's, the guardian's and the
referee's pages answer 404 to every role without their link (tests/exchanges/test_views_*.py
open them with it); the family's pages are open to anyone signed in (their own rows only).
The matrix's staff do not hold the staff welfare capability (RELIABILITY P-07): the restricted
details' page answers them 404 too (tests/exchanges/test_views.py opens it as welfare staff
and as the coordinator)."""

from tests.matrix import SIGNED_IN, STAFF_PAGE

NOWHERE = (404,) * 6
POST_ONLY = (405,) * 6
SIGNED_IN_POST = (302, 405, 405, 405, 405, 405)
COMMITTEE_PAGE = (302, 404, 200, 404, 404, 200)
STUDENT_PAGE = (404, 404, 200, 404, 404, 200)
RESTRICTED_PAGE = (404, 404, 404, 404, 404, 404)
OWN_STUDENT_PAGE = (
    302,
    404,
    404,
    404,
    404,
    404,
)  # the exchange student themself only  # welfare staff and the coordinator only
WELFARE_STAFF_PAGE = (302, 404, 404, 404, 302, 404)  # staff_required, then welfare only
STAFF_API = (401, 404, 404, 404, 404, 200)
_C = "/exchanges/committees/{member}"

MATRIX = {
    "exchanges:staff_home": ("/staff/exchanges/", STAFF_PAGE),
    # The API: staff only (401 without credentials; 404 to every other account, as an
    # unverified staff session is not staff yet).
    "api:list_seasons": ("/api/exchanges/seasons", STAFF_API),
    "api:get_season": ("/api/exchanges/seasons/{exchange_season}", STAFF_API),
    "api:reciprocity": ("/api/exchanges/reciprocity", STAFF_API),
    "exchanges:season": ("/staff/exchanges/seasons/{exchange_season}/", STAFF_PAGE),
    "exchanges:committee": (f"{_C}/", COMMITTEE_PAGE),
    "exchanges:contact_link": (f"{_C}/contacts/{{exchange_contact}}/link/", SIGNED_IN_POST),
    "exchanges:family_list": (f"{_C}/families/", COMMITTEE_PAGE),
    "exchanges:family_detail": (f"{_C}/families/{{exchange_family}}/", COMMITTEE_PAGE),
    "exchanges:family_check": (f"{_C}/families/{{exchange_family}}/checks/", SIGNED_IN_POST),
    "exchanges:family_visit": (f"{_C}/families/{{exchange_family}}/visits/", SIGNED_IN_POST),
    "exchanges:family_decide": (f"{_C}/families/{{exchange_family}}/decide/", SIGNED_IN_POST),
    "exchanges:visit_photo": (f"{_C}/visit-photos/{{exchange_photo}}/", COMMITTEE_PAGE),
    "exchanges:student_list": (f"{_C}/students/", COMMITTEE_PAGE),
    "exchanges:school_list": (f"{_C}/schools/", COMMITTEE_PAGE),
    "exchanges:school_letter": (f"{_C}/schools/{{exchange_school}}/letter/", SIGNED_IN_POST),
    "exchanges:school_letter_download": (
        f"{_C}/schools/{{exchange_school}}/letter.pdf",
        COMMITTEE_PAGE,
    ),
    "exchanges:coordinator_list": (f"{_C}/coordinators/", COMMITTEE_PAGE),
    "exchanges:coordinator_training": (
        f"{_C}/coordinators/{{exchange_coordinator}}/training/",
        SIGNED_IN_POST,
    ),
    "exchanges:student_detail": ("/exchanges/students/{exchange_student}/", STUDENT_PAGE),
    "exchanges:restricted_edit": (
        "/exchanges/students/{exchange_student}/restricted/",
        RESTRICTED_PAGE,
    ),
    "exchanges:student_status": ("/exchanges/students/{exchange_student}/status/", POST_ONLY),
    "exchanges:student_consent_link": (
        "/exchanges/students/{exchange_student}/consent-link/",
        POST_ONLY,
    ),
    "exchanges:document_add": ("/exchanges/students/{exchange_student}/documents/", POST_ONLY),
    "exchanges:document_download": ("/exchanges/documents/{exchange_document}/", STUDENT_PAGE),
    "exchanges:contact_open": ("/exchanges/sending/link/not-a-token/", NOWHERE),
    "exchanges:sending_home": ("/exchanges/sending/", NOWHERE),
    "exchanges:nominate": ("/exchanges/sending/{exchange_quota}/nominate/", NOWHERE),
    "exchanges:consent_open": ("/exchanges/consent/not-a-token/", NOWHERE),
    "exchanges:consent_form": ("/exchanges/consent/", NOWHERE),
    # The guardian's page needs the session their answer opened; the student's page is the
    # exchange student's own (tests/exchanges/test_own_pages.py opens both).
    "exchanges:guardian_home": ("/exchanges/guardian/", NOWHERE),
    "exchanges:guardian_withdraw": ("/exchanges/guardian/withdraw/", POST_ONLY),
    "exchanges:student_home": ("/exchanges/mine/", OWN_STUDENT_PAGE),
    "exchanges:family_apply": ("/exchanges/host/apply/", SIGNED_IN),
    "exchanges:family_home": ("/exchanges/host/", SIGNED_IN),
    "exchanges:family_household": (
        "/exchanges/host/{exchange_family}/household/",
        SIGNED_IN_POST,
    ),
    "exchanges:family_reference": (
        "/exchanges/host/{exchange_family}/references/",
        SIGNED_IN_POST,
    ),
    "exchanges:reference": ("/exchanges/reference/not-a-token/", NOWHERE),
    # Matching, placement and orientation: the hosting committee and verified staff.
    "exchanges:student_matching": (
        "/exchanges/students/{exchange_student}/matching/",
        COMMITTEE_PAGE,
    ),
    "exchanges:placement_create": (
        "/exchanges/students/{exchange_student}/placement/",
        SIGNED_IN_POST,
    ),
    "exchanges:placement_change": ("/exchanges/placements/0/change/", SIGNED_IN_POST),
    "exchanges:student_preferences": (
        "/exchanges/students/{exchange_student}/preferences/",
        SIGNED_IN_POST,
    ),
    "exchanges:student_orientation": (
        "/exchanges/students/{exchange_student}/orientation/",
        SIGNED_IN_POST,
    ),
    "exchanges:family_distance": (f"{_C}/distances/", SIGNED_IN_POST),
    "exchanges:placement_list": (f"{_C}/placements/", COMMITTEE_PAGE),
    "exchanges:staff_placements": ("/staff/exchanges/placements/", STAFF_PAGE),
    # Section 3: monitoring, compliance and incidents. Incidents are read by the committee's
    # exchange coordinator and welfare staff only (tests/exchanges/test_incidents.py), so
    # every matrix role gets 404 on their pages (the matrix's staff lack the welfare
    # capability; its staff pages send staff without a second factor to the code page).
    "exchanges:staff_monitoring": ("/staff/exchanges/monitoring/", STAFF_PAGE),
    "exchanges:staff_compliance": ("/staff/exchanges/compliance/", STAFF_PAGE),
    "exchanges:staff_compliance_csv": ("/staff/exchanges/compliance.csv", STAFF_PAGE),
    "exchanges:staff_incidents": ("/staff/exchanges/incidents/", WELFARE_STAFF_PAGE),
    "exchanges:committee_monitoring": (f"{_C}/monitoring/", COMMITTEE_PAGE),
    "exchanges:committee_compliance": (f"{_C}/compliance/", COMMITTEE_PAGE),
    "exchanges:committee_compliance_csv": (f"{_C}/compliance.csv", COMMITTEE_PAGE),
    "exchanges:committee_incidents": (f"{_C}/incidents/", RESTRICTED_PAGE),
    "exchanges:placement_contacts": (
        "/exchanges/placements/{exchange_placement}/contacts/",
        COMMITTEE_PAGE,
    ),
    "exchanges:incident_new": (
        "/exchanges/students/{exchange_student}/incidents/new/",
        COMMITTEE_PAGE,
    ),
    "exchanges:incident_detail": ("/exchanges/incidents/{exchange_incident}/", RESTRICTED_PAGE),
    "exchanges:incident_report": (
        "/exchanges/incidents/{exchange_incident}/report/",
        POST_ONLY,
    ),
    "exchanges:incident_close": ("/exchanges/incidents/{exchange_incident}/close/", POST_ONLY),
}


def build_world(base: dict) -> dict:
    """Springfield hosts a student (with a document) from its sister city, placed with a
    family (a home visit with a photo, approved), at a school with its letter, followed by a
    coordinator; an incident of the student."""
    from tests.exchanges.helpers import build
    from tests.exchanges.monitoring_helpers import extend

    found = extend(build(base["member"]))
    return {
        "exchange_placement": found.placement.pk,
        "exchange_incident": found.incident.pk,
        "exchange_season": found.season.slug,
        "exchange_quota": found.quota.pk,
        "exchange_contact": found.contact.pk,
        "exchange_student": found.student.pk,
        "exchange_document": found.document.pk,
        "exchange_family": found.family.pk,
        "exchange_photo": found.photo.pk,
        "exchange_school": found.school.pk,
        "exchange_coordinator": found.coordinator.pk,
    }
