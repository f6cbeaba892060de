from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "atlas"
    verbose_name = "Atlas"
    default_auto_field = "django.db.models.BigAutoField"
