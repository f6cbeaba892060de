from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from . import (
            purposes,  # noqa: F401 - declares the SMS it sends with the gateway
            search_text,  # noqa: F401 - connects the pre_save signal
        )
        from .models import SmsTexts
        from .services import (
            forget_sms_texts,
            retention,  # noqa: F401 - registers the audit-log action
        )

        post_save.connect(forget_sms_texts, sender=SmsTexts, dispatch_uid="forget-sms-texts")

        # What a text to a campaign line means is ours to say; the gateway only asks.
        from sms import inbound

        from .services import render_sms
        from .services import sms as keywords

        inbound.register(keywords.keyword)
        inbound.register(keywords.help_reply, fallback=True)
        inbound.register_reply_texts(render_sms)
