from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS")

    def ready(self):
        from . import outbox, tasks

        outbox.use_task(tasks.send_sms.apply_async)
