from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from home.demo_content import DEMO_USERS, load_demo_content


class Command(BaseCommand):
    help = "Create the demo campaign (Persian and English) and the demo admin accounts. Safe to run twice."

    def handle(self, *args, **options):
        load_demo_content(log=self.stdout.write)
        # Apps above home in the layers add their own demo data (interventions: load_demo).
        for config in apps.get_app_configs():
            if hasattr(config, "load_demo"):
                config.load_demo(log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(f"Demo logins for {settings.PUBLIC_BASE_URL}/admin/ :")
        for username, (password, superuser, group) in DEMO_USERS.items():
            role = "administrator" if superuser else group
            self.stdout.write(f"  {username} / {password}  ({role})")
