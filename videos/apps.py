from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = _("Video processing")

    def ready(self):
        from django.db.models.signals import post_save

        from wagtailmedia.models import get_media_model

        from .tasks import on_media_saved

        post_save.connect(on_media_saved, sender=get_media_model(), dispatch_uid="video-processing")
