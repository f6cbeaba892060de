from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS")

    def ready(self):
        from django.core import checks

        from . import outbox, purposes, tasks  # noqa: F401 - purposes declares help, opt_out
        from .checks import check_backend

        outbox.use_task(tasks.send_sms.apply_async)
        checks.register(check_backend)
