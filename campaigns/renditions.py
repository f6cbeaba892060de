"""The image renditions a campaign page shows, made when it is published, not when visited.

Rendering a rendition takes a few hundred milliseconds (bakerydemo's first home page took
3.7 s); a page should never make its first visitor wait for that. `SPECS` lists every
`{% image %}` filter the campaign components use (a test keeps it in step with the
templates); `generate()` runs after publishing and `prefetch()` loads every rendition of a
page in one query while rendering.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, prefetch_related_objects

from wagtail.images import get_image_model


# block type → the filter spec its template renders the block's image with
SPECS = {
    "goals": "fill-480x270",
    "video": "fill-960x540",
}


def images_in(body) -> Iterator[tuple[object, str]]:
    """(image, filter spec) for every image a campaign body shows."""
    for block in body:
        if block.block_type == "goals":
            for goal in block.value["goals"]:
                if goal.get("image"):
                    yield goal["image"], SPECS["goals"]
        elif block.block_type == "video" and block.value.get("poster"):
            yield block.value["poster"], SPECS["video"]


def generate(body) -> int:
    """Make every missing rendition of the body's images; returns how many images it checked."""
    wanted: dict[int, tuple[object, set[str]]] = {}
    for image, spec in images_in(body):
        wanted.setdefault(image.pk, (image, set()))[1].add(spec)
    for image, specs in wanted.values():
        image.get_renditions(*sorted(specs))
    return len(wanted)


def prefetch(bodies: Iterable) -> None:
    """Attach the stored renditions to every image of these bodies with one query, and the
    web renditions of every video with another."""
    from videos.sources import attach

    bodies = list(bodies)
    attach(
        block.value.get("video") for body in bodies for block in body if block.block_type == "video"
    )
    images = [image for body in bodies for image, _spec in images_in(body)]
    if not images:
        return
    Rendition = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=Rendition.objects.filter(filter_spec__in=set(SPECS.values())),
            to_attr="prefetched_renditions",
        ),
    )
