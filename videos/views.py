"""Admin: every video's processing state, and a retry for editors who may change the video."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry
from wagtailmedia.models import get_media_model

from .models import VideoProcessing
from .tasks import queue


PAGE_SIZE = 50


def _policy():
    return policy_registry.get_by_type(get_media_model())


def can_see(user) -> bool:
    return _policy().user_has_any_permission(user, ["add", "change"])


class VideoStatesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "videos/admin/index.html"
    page_title = gettext_lazy("Video processing")
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not can_see(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        videos = (
            _policy()
            .instances_user_has_any_permission_for(self.request.user, ["add", "change"])
            .filter(type="video")
            .select_related("processing")
            .prefetch_related("processing__renditions")
            .order_by("-created_at", "-pk")[:PAGE_SIZE]
        )
        rows = []
        for media in videos:
            row = getattr(media, "processing", None)
            rows.append(
                {
                    "media": media,
                    "processing": row,
                    "renditions": list(row.renditions.all()) if row else [],
                    "can_retry": media.is_editable_by_user(self.request.user)
                    and (row is None or row.state != VideoProcessing.State.PROCESSING),
                }
            )
        context["rows"] = rows
        return context


@require_POST
def retry(request, media_id: int):
    media = get_object_or_404(get_media_model(), pk=media_id, type="video")
    if not media.is_editable_by_user(request.user):
        raise PermissionDenied
    row = VideoProcessing.objects.filter(media=media).first()
    if row is not None and row.state == VideoProcessing.State.PROCESSING:
        messages.warning(request, _("“%(title)s” is being processed now.") % {"title": media.title})
    else:
        queue(media)
        messages.success(
            request, _("“%(title)s” is queued for processing again.") % {"title": media.title}
        )
    return redirect("videos:index")
