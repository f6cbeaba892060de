from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = _("Community interventions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import purposes  # noqa: F401 - declares the SMS it sends with the gateway
