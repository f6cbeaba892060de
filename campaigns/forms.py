"""Admin upload checks for videos and audio, on top of wagtailmedia's extension check."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtailmedia.forms import BaseMediaForm
from wagtailmedia.models import MediaType
from wagtailmedia.settings import wagtailmedia_settings

import filetype


# What the file's first bytes must say it is, per media type (the extension alone can lie).
ALLOWED_MIME_TYPES = {
    MediaType.VIDEO: {"video/mp4", "video/webm", "video/x-m4v"},
    MediaType.AUDIO: {"audio/mpeg", "audio/mp4", "audio/ogg", "audio/x-m4a", "video/mp4"},
}


class CheckedMediaForm(BaseMediaForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "size"):
            return upload
        limit = settings.MEDIA_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; the largest allowed is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        allowed = ALLOWED_MIME_TYPES.get(self.instance.type)
        if allowed:
            head = upload.read(262)
            upload.seek(0)
            kind = filetype.guess(head)
            if kind is None or kind.mime not in allowed:
                extensions = (
                    wagtailmedia_settings.VIDEO_EXTENSIONS
                    if self.instance.type == MediaType.VIDEO
                    else wagtailmedia_settings.AUDIO_EXTENSIONS
                )
                raise forms.ValidationError(
                    _("The file's contents are not in an accepted format (%(formats)s).")
                    % {"formats": ", ".join(extensions)}
                )
        if self.instance.type == MediaType.VIDEO:
            self._probe(upload)
        return upload

    @staticmethod
    def _probe(upload) -> None:
        """A file that only looks like a video (right first bytes, broken or no picture) is
        refused here, before the worker would fail on it."""
        from videos.services import VideoError, probe_upload

        try:
            probe_upload(upload)
        except VideoError as exc:
            if exc.reason == "not_a_video":
                raise forms.ValidationError(
                    _("This file is not a video that can be played. Upload an MP4 or WebM video.")
                ) from exc
            # A slow or missing ffprobe here is no reason to refuse: the worker probes again.
