from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from . import lookups, pagecache

        pagecache.connect_signals()
        lookups.connect_signals()
        lookups.install()
