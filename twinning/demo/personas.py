"""The demo's people, one per role, with the logins `make demo` prints."""

from dataclasses import dataclass

DEMO_PASSWORD = "twinning-demo-2026"  # noqa: S105 -- printed by `make demo`; demo data only
# A fixed base32 TOTP secret so the demo staff login can be typed into any authenticator app.
DEMO_TOTP_SECRET_HEX = "3132333435363738393031323334353637383930"  # noqa: S105 -- demo only


@dataclass(frozen=True)
class Persona:
    email: str
    full_name: str
    role: str


# The staff persona holds the staff welfare capability (RELIABILITY P-07), so the demo shows
# the summit's restricted details (after confirming the password and code again).
STAFF = Persona(
    "staff@twinning.example",
    "Sam Staff",
    "association staff (TOTP required; staff welfare: reads health details)",
)
COMMITTEE_ADMIN = Persona(
    "committee@twinning.example", "Casey Committee", "committee admin (Springfield, Illinois)"
)
PUBLIC = Persona("public@twinning.example", "Pat Public", "registered member of the public")
# Showcase judges: two of the association's national jury, one of the committee's local jury.
JUDGES = [
    Persona("judge@twinning.example", "Jo Judge", "showcase judge (national round)"),
    Persona("judge2@twinning.example", "Robin Reviewer", "showcase judge (national round)"),
]
LOCAL_JUDGES = [
    Persona(
        "local-judge@twinning.example", "Lee Local", "showcase judge (Springfield's local round)"
    ),
]
ALL = [STAFF, COMMITTEE_ADMIN, PUBLIC, *JUDGES, *LOCAL_JUDGES]
