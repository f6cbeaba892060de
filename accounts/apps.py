from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Group accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import (
            purposes,  # noqa: F401 - declares the SMS it sends with the gateway
            services,
        )

        user_logged_out.connect(services.audit_sign_out, dispatch_uid="accounts-sign-out")

        # The account keyword (a site setting, `ورود` by default) is ours to answer.
        from sms import inbound

        inbound.register(services.keyword)
