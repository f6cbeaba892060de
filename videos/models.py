"""What the video pipeline knows about each uploaded video: its state and its web renditions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtailmedia.settings import wagtailmedia_settings


class VideoProcessing(models.Model):
    """One row per wagtailmedia video: where its transcoding stands and what it found."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    media = models.OneToOneField(
        wagtailmedia_settings.MEDIA_MODEL,
        on_delete=models.CASCADE,
        related_name="processing",
        verbose_name=_("video"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )

    class Reason(models.TextChoices):
        NONE = "", ""
        NOT_A_VIDEO = "not_a_video", _("The file is not a video that can be played.")
        TIMEOUT = "timeout", _("Transcoding took longer than the time limit for one file.")
        NO_FFMPEG = "no_ffmpeg", _("ffmpeg is not installed where the video worker runs.")
        SOURCE_MISSING = "source_missing", _("The uploaded file could not be read from storage.")
        FAILED = "failed", _("Transcoding failed.")

    # Why it failed, as a code (shown translated in the admin) and the tool's last words.
    reason = models.CharField(
        _("reason"), max_length=32, choices=Reason.choices, default="", blank=True
    )
    detail = models.TextField(_("details"), blank=True)
    # The upload the renditions were made from: its storage name, and the SHA-256 of its bytes
    # (a re-upload of the same file is not transcoded again).
    source_name = models.CharField(max_length=255, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    source_size = models.BigIntegerField(_("original size"), null=True, blank=True)
    duration = models.FloatField(_("duration"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    poster = models.FileField(_("generated poster"), upload_to="video_posters", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("video processing")
        verbose_name_plural = _("video processing")

    def __str__(self):
        return f"{self.media_id}: {self.state}"


class VideoRendition(models.Model):
    """A web copy of a video (H.264/AAC MP4, `+faststart`) at one size."""

    processing = models.ForeignKey(
        VideoProcessing, on_delete=models.CASCADE, related_name="renditions"
    )
    name = models.CharField(max_length=16)  # "360p", "720p": a key of settings.VIDEO_RENDITIONS
    file = models.FileField(upload_to="video_renditions", max_length=255)
    mime_type = models.CharField(max_length=64, default="video/mp4")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.BigIntegerField(help_text="bytes")
    bitrate = models.PositiveIntegerField(help_text="bits per second", null=True, blank=True)

    class Meta:
        ordering = ["height", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["processing", "name"], name="one_rendition_per_size")
        ]

    def __str__(self):
        return f"{self.name} {self.width}×{self.height}"
