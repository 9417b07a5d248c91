"""The summit application's routes in the C1 matrix. The guardian's pages answer 404 to every
role without the guardian's link in the session (tests/events/test_summit_apply_views.py opens
them with it); the student's actions are POST only."""

from tests.matrix import SIGNED_IN, STAFF_ACTION, STAFF_PAGE

NOWHERE = (404,) * 6
POST_ONLY = (405,) * 6

MATRIX = {
    "events:summit_apply": ("/events/{apply_summit}/summit/apply/", SIGNED_IN),
    "events:summit_my_applications": ("/events/summit/applications/", SIGNED_IN),
    "events:summit_resend_link": (
        "/events/summit/applications/{summit_application}/resend/",
        POST_ONLY,
    ),
    "events:summit_withdraw": ("/events/summit/applications/withdraw/", POST_ONLY),
    "events:summit_consent_open": ("/events/summit/consent/not-a-token/", NOWHERE),
    "events:summit_consent_form": ("/events/summit/consent/", NOWHERE),
    "events:summit_guardian": ("/events/summit/guardian/", NOWHERE),
    "events:summit_guardian_withdraw": ("/events/summit/guardian/withdraw/", POST_ONLY),
    "events:summit_applications": (
        "/staff/events/{apply_summit}/summit/applications/",
        STAFF_PAGE,
    ),
    "events:summit_application_decide": (
        "/staff/events/{apply_summit}/summit/applications/{summit_application}/decide/",
        STAFF_ACTION,
    ),
}


def build_world(base: dict) -> dict:
    """A summit open to applications, with one student's application."""
    from tests.events.summit_apply_helpers import apply, open_summit, student

    summit = open_summit(slug="matrix-apply-summit")
    application = apply(summit, student(email="matrix.student@example.org"))
    return {"apply_summit": summit.slug, "summit_application": application.pk}
