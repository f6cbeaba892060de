from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from sitecache import lookups

        from .models import SiteSettings

        # Cached per site by sitecache; forgotten when they or their privacy page change.
        lookups.watch_settings(SiteSettings)
