from django.core.management.base import BaseCommand

from home.demo_content import DEMO_USERS, load_demo_content


class Command(BaseCommand):
    help = "Create the demo campaign (Persian and English) and the demo admin accounts. Safe to run twice."

    def handle(self, *args, **options):
        load_demo_content(log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write("Demo logins for http://127.0.0.1:8000/admin/ :")
        for username, (password, superuser, _group) in DEMO_USERS.items():
            role = "administrator" if superuser else "editor"
            self.stdout.write(f"  {username} / {password}  ({role})")
