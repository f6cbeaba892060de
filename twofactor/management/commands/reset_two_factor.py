from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor import devices


class Command(BaseCommand):
    help = (
        "Turn off two-factor sign-in for a staff member who lost their authenticator app: "
        "deletes all their OTP devices, so they sign in with their password and can enrol again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        deleted = devices.delete_devices(user, action=devices.RESET)
        if deleted:
            self.stdout.write(
                f"Deleted {deleted} two-factor device(s) of {username!r}: two-factor sign-in "
                "is off; they sign in with their password and may turn it on again."
            )
        else:
            self.stdout.write(f"{username!r} had no two-factor device; nothing changed.")
