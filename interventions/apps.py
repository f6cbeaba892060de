from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = _("Community interventions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import purposes  # noqa: F401 - declares the SMS it sends with the gateway

    def load_demo(self, log=print) -> bool:
        """Called by home's load_demo_content command (home cannot import this app)."""
        from .demo import load_demo

        return load_demo(log=log)
