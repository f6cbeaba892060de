from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from wagtail.signals import page_published

        from videos.signals import video_processed

        from .lookup import connect_signals
        from .models import CampaignPage
        from .tasks import on_page_published

        page_published.connect(
            on_page_published, sender=CampaignPage, dispatch_uid="campaign-renditions"
        )
        connect_signals()
        # Campaign pages show videos: once a video's renditions are ready, cached pages that
        # offered only its original are dropped (sitecache imports no app, so it is told here).
        video_processed.connect(on_video_processed, dispatch_uid="campaign-video-ready")


def on_video_processed(sender, instance=None, **kwargs) -> None:
    from sitecache.pagecache import purge

    purge(f"video {getattr(instance, 'pk', '')} ready")
