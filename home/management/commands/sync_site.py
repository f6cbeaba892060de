from django.core.management.base import BaseCommand

from home.sites import sync_default_site


class Command(BaseCommand):
    help = (
        "Set the default Wagtail Site's hostname and port from PUBLIC_BASE_URL, so the page "
        "URLs the API and sitemap.xml give answer. Run after each deployment; safe to repeat."
    )

    def handle(self, *args, **options):
        site, changed = sync_default_site()
        state = "now" if changed else "already"
        self.stdout.write(
            f"The default site is {state} {site.hostname}:{site.port} ({site.root_url})."
        )
