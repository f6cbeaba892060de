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
        # A video's renditions became ready: cached pages showing it offer only the original.
        # Connected here because sitecache imports no app and videos knows no page.
        from sitecache.pagecache import purge
        from videos.signals import video_processed

        video_processed.connect(
            lambda sender, **kwargs: purge("video renditions ready"),
            weak=False,
            dispatch_uid="pagecache-video",
        )
