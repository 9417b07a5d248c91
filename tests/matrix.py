"""The C1 matrix's roles and the usual rows of expected statuses, shared by every app's
`tests/<app>/matrix.py` (collected by tests/core/test_route_matrix.py).

Statuses are per role, in ROLES order. Forbidden objects answer 404 like missing ones (C12);
anonymous visitors of protected pages go to sign-in (302); staff without their second factor
go to the code page (302). Roles beyond these six (judges, students, guardians) are tested by
each app's own role tests."""

ROLES = (
    "anonymous",
    "public",
    "committee_admin",
    "other_committee_admin",
    "staff_without_otp",
    "staff",
)
EVERYONE = (200,) * 6
SIGNED_IN = (302, 200, 200, 200, 200, 200)
STAFF_PAGE = (302, 404, 404, 404, 302, 200)
STAFF_ACTION = (302, 404, 404, 404, 302, 405)  # POST-only: GET is refused once authorised
OWN_MEMBER = (302, 404, 200, 404, 404, 404)
