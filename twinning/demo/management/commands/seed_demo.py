"""Build the demo site through the services (C22). Idempotent: a second run keeps the data."""

import base64
import binascii

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from twinning.core.authz import SYSTEM
from twinning.core.services import get_association
from twinning.demo import personas
from twinning.demo.activities import seed_activities
from twinning.demo.documents import seed_documents
from twinning.demo.library import seed_library
from twinning.demo.matchmaking import seed_matchmaking
from twinning.demo.members import seed_members
from twinning.demo.registry import attach_committee_admin, create_other_members


class Command(BaseCommand):
    help = "Load the real registry data (once) and the demo personas, then print the logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--stage",
            default="results",
            choices=["registry", "open", "judging", "results"],
            help="How far to take the showcase: registry only, open for entries, judging, "
            "or results published (default).",
        )
        parser.add_argument(
            "--entries", type=int, default=300, help="Showcase entries to create (stage open+)."
        )
        parser.add_argument(
            "--attendees",
            type=int,
            default=300,
            help="Seats of the annual conference to fill before its waiting list (stage open+).",
        )
        parser.add_argument(
            "--skip-import",
            action="store_true",
            help="Do not load the gazetteer and the partnership file.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        association = get_association()
        if not options["skip_import"]:
            self._load_registry()
        with transaction.atomic():
            users = {p.email: self._user(p) for p in personas.ALL}
            device = self._totp(users[personas.STAFF.email])
            # The platform seeds the demo (the staff persona signs in with its second factor
            # later): every service checks its actor, and SYSTEM is the actor of a command.
            staff = SYSTEM
            attach_committee_admin(users[personas.COMMITTEE_ADMIN.email], staff=staff)
            create_other_members(staff=staff)
            seed_members(staff=staff)
            seed_activities(staff=staff, years=2)
            seed_documents(staff=staff)
            seed_matchmaking(staff=staff)
        if options["stage"] != "registry":
            from twinning.demo.showcase import seed_showcase

            self.stdout.write(f"Building the showcase (stage {options['stage']})...")
            seed_showcase(stage=options["stage"], staff=staff, entries=options["entries"])
            self._seed_events(users[personas.COMMITTEE_ADMIN.email], options["attendees"])
            self._seed_grants()
            self._seed_awards()
            self._seed_exchanges()
            seed_library(staff=staff)
            self._seed_relief()
        self._print_logins(association.name, device)

    def _seed_events(self, coordinator, attendees: int) -> None:  # type: ignore[no-untyped-def]
        import time

        from twinning.demo.events import seed_events

        self.stdout.write("Building the events (conference, summit, banquet, webinars)...")
        began = time.monotonic()
        with transaction.atomic():
            seed_events(staff=SYSTEM, attendees=attendees, coordinator=coordinator)
        self.stdout.write(f"  events built in {time.monotonic() - began:.0f} s")

    def _seed_grants(self) -> None:
        from twinning.demo.grants import seed_grants

        self.stdout.write("Building the funding programs (pair and trilateral)...")
        with transaction.atomic():
            seed_grants()

    def _seed_awards(self) -> None:
        from twinning.demo.awards import seed_awards

        self.stdout.write("Building the awards (this year's results and the archive)...")
        with transaction.atomic():
            cycles = seed_awards(staff=SYSTEM)
        self.stdout.write(f"  {len(cycles)} awards cycles")

    def _seed_exchanges(self) -> None:
        from twinning.demo.exchanges import seed_exchanges

        self.stdout.write("Building the high-school exchange (season, students, families)...")
        with transaction.atomic():
            demo = seed_exchanges()
        if demo is not None:
            self.stdout.write(
                f"  {len(demo.accepted)} students accepted, {len(demo.approved)} families approved"
            )

    def _seed_relief(self) -> None:
        from twinning.demo.relief import seed_relief

        self.stdout.write("Building the relief appeals and projects...")
        with transaction.atomic():
            made = seed_relief()
        self.stdout.write(f"  {len(made)} appeals and projects")

    def _load_registry(self) -> None:
        from twinning.network.models import Community, GazetteerPlace

        if not GazetteerPlace.objects.exists():
            self.stdout.write("Loading the GeoNames gazetteer (once)...")
            call_command("load_gazetteer")
        if not Community.objects.exists():
            self.stdout.write("Importing data/twin_cities.csv (once)...")
            call_command("import_partnerships", "data/twin_cities.csv")
        else:
            self.stdout.write("The registry is already loaded: nothing re-imported.")

    def _user(self, persona: personas.Persona):  # type: ignore[no-untyped-def]
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            email=persona.email,
            defaults={"full_name": persona.full_name, "is_staff": persona is personas.STAFF},
        )
        if created:
            user.set_password(personas.DEMO_PASSWORD)
            user.save()
        if persona is personas.STAFF:
            # The staff welfare capability an admin grants in the admin (P-07): the demo's
            # staff reads the summit's restricted details.
            from django.contrib.auth.models import Permission

            user.user_permissions.add(
                Permission.objects.get(content_type__app_label="accounts", codename="staff_welfare")
            )
        return user

    def _totp(self, user) -> TOTPDevice:  # type: ignore[no-untyped-def]
        device, _created = TOTPDevice.objects.get_or_create(
            user=user,
            name="demo authenticator",
            defaults={"key": personas.DEMO_TOTP_SECRET_HEX, "confirmed": True},
        )
        return device

    def _print_logins(self, name: str, device: TOTPDevice) -> None:
        secret = base64.b32encode(binascii.unhexlify(device.key)).decode()
        line = "=" * 72
        self.stdout.write(line)
        self.stdout.write(
            f"{name} demo: http://127.0.0.1:8000/   (password for all: {personas.DEMO_PASSWORD})"
        )
        for persona in personas.ALL:
            self.stdout.write(f"  {persona.role:<42} {persona.email}")
        from twinning.members.models import AssociationRegion

        for region in AssociationRegion.objects.filter(
            coordinators__email=personas.COMMITTEE_ADMIN.email
        ):
            self.stdout.write(
                f"  {personas.COMMITTEE_ADMIN.email} also coordinates the {region.name} region "
                "(organises its regional conference)"
            )
        self.stdout.write(
            f"  Staff second factor: TOTP secret {secret} (add it to any authenticator app),"
        )
        self.stdout.write(
            f"    or print the current code: .venv/bin/python manage.py "
            f"demo_totp {personas.STAFF.email}"
        )
        self.stdout.write(line)
