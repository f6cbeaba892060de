from django.dispatch import Signal


# Sent (sender: the media model, instance: the video) when a video's web renditions are ready,
# after the commit: pages showing it must drop their cached copies, which offer the original.
video_processed = Signal()
