from django.apps import AppConfig


class SiteCacheConfig(AppConfig):
    name = "sitecache"
    verbose_name = "Site cache"

    def ready(self):
        from . import lookups, pagecache

        pagecache.connect_signals()
        lookups.connect_signals()
        lookups.install()
