from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Social problems")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The problems keyword is ours to recognise; the SMS gateway only asks its handlers.
        from sms import inbound

        from . import purposes  # noqa: F401 - declares the SMS it sends with the gateway
        from .services import keyword

        inbound.register(keyword.keyword)
