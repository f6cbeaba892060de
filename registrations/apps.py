from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from . import (
            retention,  # noqa: F401 - registers the audit-log action
            search_text,  # noqa: F401 - connects the pre_save signal
        )
        from .models import SmsTexts
        from .services import forget_sms_texts

        post_save.connect(forget_sms_texts, sender=SmsTexts, dispatch_uid="forget-sms-texts")

        # What a text to a campaign line means is ours to say; the gateway only asks.
        from sms import inbound

        from . import sms_keyword
        from .services import render_sms

        inbound.register(sms_keyword.keyword)
        inbound.register(sms_keyword.help_reply, fallback=True)
        inbound.register_reply_texts(render_sms)
