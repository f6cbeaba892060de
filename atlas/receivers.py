"""The atlas recounts when the problems register writes reports in bulk."""

from django.dispatch import receiver

from problems.signals import reports_bulk_created

from .tasks import refresh_atlas


@receiver(reports_bulk_created, dispatch_uid="atlas.refresh_on_bulk_reports")
def refresh_after_bulk_reports(sender, **kwargs) -> None:
    # Synchronous: the command's user sees the new figures when it returns.
    refresh_atlas()
