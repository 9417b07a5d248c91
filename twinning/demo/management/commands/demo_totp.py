"""Print the current TOTP code of a demo user's authenticator (demo convenience only)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current six-digit code of a user's TOTP device (for the demo)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        device = TOTPDevice.objects.filter(user__email__iexact=options["email"]).first()
        if device is None:
            raise CommandError(f"{options['email']} has no TOTP device.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
