from celery import shared_task

from sitecache.pagecache import purge

from . import aggregates


@shared_task(name="atlas.tasks.refresh_atlas", ignore_result=True)
def refresh_atlas() -> bool:
    """Recount the atlas's figures; purge the cached pages (counters, atlas) if they changed."""
    changed = aggregates.refresh()
    if changed:
        purge("atlas figures changed")
    return changed
