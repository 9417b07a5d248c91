"""The exchange's rows in the service actor table (tests/core/test_service_actors.py): each
service called by actors who may not use it, on the objects of `helpers.build`."""

import datetime
from decimal import Decimal

from tests.exchanges.helpers import pdf_upload
from twinning.exchanges.models import FamilyApproval, Placement

_S = "exchanges.services.students."
_F = "exchanges.services.families."
_T = "exchanges.services.staff."
_P = "exchanges.services.placement."


def _household(w):
    return w.exchanges.family.household.first()


ACTOR_CASES = {
    f"{_S}create_season": lambda w: {
        "name": "Rogue",
        "slug": "rogue",
        "kind": "year",
        "arrival_date": datetime.date(2030, 8, 1),
        "departure_date": datetime.date(2031, 6, 1),
    },
    f"{_S}offer_places": lambda w: {
        "season": w.exchanges.season,
        "host": w.exchanges.member,
        "partnership": w.exchanges.quota.partnership,
        "places": 9,
    },
    f"{_S}add_sending_contact": lambda w: {
        "quota": w.exchanges.quota,
        "name": "Eve",
        "email": "eve@example.org",
    },
    f"{_S}send_contact_link": lambda w: {"contact": w.exchanges.contact},
    f"{_S}nominate_student": lambda w: {
        "quota": w.exchanges.quota,
        "first_name": "Eve",
        "last_name": "Rogue",
        "date_of_birth": datetime.date(2011, 1, 1),
        "email": "eve.student@example.org",
        "guardian_email": "eve.parent@example.org",
        "emergency_contacts": "Someone",
    },
    f"{_S}resend_consent_link": lambda w: {"student": w.exchanges.student},
    f"{_S}change_status": lambda w: {"student": w.exchanges.student, "status": "declined"},
    f"{_S}read_restricted": lambda w: {"student": w.exchanges.student},
    f"{_S}update_restricted": lambda w: {
        "student": w.exchanges.student,
        "medical_notes": "Changed",
    },
    f"{_S}add_document": lambda w: {
        "student": w.exchanges.student,
        "kind": "essay",
        "upload": pdf_upload(),
    },
    f"{_F}apply_as_host_family": lambda w: {
        "member": w.exchanges.member,
        "family_name": "Rogue",
        "address": "x",
        "phone": "1",
        "languages": "English",
        "pets": "",
        "smoking": False,
        "room": "A room",
        "capacity": 1,
    },
    f"{_F}add_household_member": lambda w: {
        "family": w.exchanges.family,
        "name": "Eve",
        "date_of_birth": datetime.date(1990, 1, 1),
        "relationship": "lodger",
    },
    f"{_F}record_background_check": lambda w: {
        "person": _household(w),
        "checked_on": datetime.date(2026, 1, 1),
        "provider": "Rogue",
        "result": "clear",
    },
    f"{_F}ask_reference": lambda w: {
        "family": w.exchanges.family,
        "name": "Eve",
        "email": "eve.referee@example.org",
    },
    f"{_F}record_home_visit": lambda w: {
        "family": w.exchanges.family,
        "coordinator": w.exchanges.coordinator,
        "visited_on": datetime.date(2026, 1, 1),
        "findings": "Rogue",
        "suitable": True,
    },
    f"{_F}approve_family": lambda w: {"family": w.exchanges.family},
    f"{_F}decline_family": lambda w: {"family": w.exchanges.family, "message": "no"},
    f"{_T}add_coordinator": lambda w: {
        "member": w.exchanges.member,
        "email": w.victim.email,
        "name": "Eve",
        "is_exchange_coordinator": True,
    },
    f"{_T}record_training": lambda w: {
        "coordinator": w.exchanges.coordinator,
        "course": "Rogue",
        "completed_on": datetime.date(2026, 1, 1),
        "expires_on": datetime.date(2027, 1, 1),
    },
    f"{_T}add_school": lambda w: {
        "member": w.exchanges.member,
        "name": "Rogue",
        "address": "x",
        "contact_name": "Eve",
        "contact_email": "eve@example.org",
    },
    f"{_T}file_acceptance_letter": lambda w: {
        "school": w.exchanges.school,
        "upload": pdf_upload(),
        "signed_on": datetime.date(2026, 1, 1),
    },
    # Placement: the student is only nominated and the family only screened in this world, so
    # the approval and the placement are unsaved rows: the actor check comes before any other.
    f"{_P}suggest_families": lambda w: {"student": w.exchanges.student},
    f"{_P}record_preferences": lambda w: {
        "student": w.exchanges.student,
        "accepts_pets": False,
        "accepts_smoking": True,
        "languages": "Rogue",
    },
    f"{_P}record_school_distance": lambda w: {
        "family": w.exchanges.family,
        "school": w.exchanges.school,
        "km": Decimal("1.0"),
    },
    f"{_P}place_student": lambda w: {
        "student": w.exchanges.student,
        "approval": FamilyApproval(family=w.exchanges.family, capacity=1, adults_checked=1),
        "school": w.exchanges.school,
        "coordinator": w.exchanges.coordinator,
        "starts_on": datetime.date(2027, 8, 15),
    },
    f"{_P}change_placement": lambda w: {
        "placement": Placement(student=w.exchanges.student),
        "approval": FamilyApproval(family=w.exchanges.family, capacity=1, adults_checked=1),
        "school": w.exchanges.school,
        "coordinator": w.exchanges.coordinator,
        "reason": "Rogue",
    },
    f"{_P}record_orientation": lambda w: {
        "student": w.exchanges.student,
        "kind": "pre_arrival",
        "held_on": datetime.date(2026, 1, 1),
    },
}
# A family applies while signed in: only anonymous visitors are refused.
ONLY_ACTORS = {f"{_F}apply_as_host_family": ("anonymous",)}

# Section 3: retention (the nightly job runs as SYSTEM; staff may run it too).
_R = "exchanges.services.retention."
ACTOR_CASES.update(
    {
        f"{_R}apply_retention": lambda w: {"today": datetime.date(2040, 1, 1)},
        f"{_R}apply_unplaced_retention": lambda w: {"today": datetime.date(2040, 1, 1)},
        f"{_R}apply_season_retention": lambda w: {
            "season": w.exchanges.season,
            "today": datetime.date(2040, 1, 1),
        },
    }
)

# --- Section 3: monitoring and incidents (a placement and an incident added to the world) ---
_M = "exchanges.services.monitoring."
_I = "exchanges.services.incidents."


def _placed(w):
    from tests.exchanges.monitoring_helpers import extend

    return extend(w.exchanges)


ACTOR_CASES.update(
    {
        f"{_M}record_contact": lambda w: {
            "placement": _placed(w).placement,
            "contact_with": "student",
            "contacted_on": _placed(w).placement.starts_on,
            "method": "phone",
        },
        f"{_M}send_contact_alerts": lambda w: {"today": datetime.date(2030, 1, 1)},
        f"{_I}report_incident": lambda w: {
            "student": _placed(w).student,
            "type": "other",
            "severity": "minor",
            "occurred_on": datetime.date(2026, 1, 1),
            "description": "Rogue",
        },
        f"{_I}read_incident": lambda w: {"incident": _placed(w).incident},
        f"{_I}list_incidents": lambda w: {
            "incidents": [_placed(w).incident],
            "member": w.exchanges.member,
        },
        f"{_I}close_mandatory_report": lambda w: {
            "incident": _placed(w).incident,
            "reported_on": datetime.date(2030, 1, 1),
            "reference": "Rogue",
        },
        f"{_I}close_incident": lambda w: {"incident": _placed(w).incident},
        f"{_I}send_report_alerts": lambda w: {},
    }
)

# The guardian's withdrawal (youth's `withdraw_consent` checks the actor: the person, verified
# staff, SYSTEM or the guardian's consent record).
ACTOR_CASES["exchanges.services.consent.withdraw_exchange_consent"] = lambda w: {
    "person": w.exchanges.student.person,
    "scope": "participation",
}
