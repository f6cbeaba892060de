from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from wagtail.signals import page_published

        from .lookup import connect_signals
        from .models import CampaignPage
        from .tasks import on_page_published

        page_published.connect(
            on_page_published, sender=CampaignPage, dispatch_uid="campaign-renditions"
        )
        connect_signals()
