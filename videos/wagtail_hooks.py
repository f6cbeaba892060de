from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_video_urls():
    urls = [
        path("", views.VideoStatesView.as_view(), name="index"),
        path("<int:media_id>/retry/", views.retry, name="retry"),
    ]
    return [path("video-processing/", include((urls, "videos"), namespace="videos"))]


class VideoStatesMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_see(request.user)


@hooks.register("register_admin_menu_item")
def register_video_menu_item():
    return VideoStatesMenuItem(
        _("Video processing"), reverse("videos:index"), icon_name="media", order=301
    )
