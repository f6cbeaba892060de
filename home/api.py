"""The pages endpoint of the Wagtail API v2, without per-page queries.

Wagtail's own `PagesAPIViewSet` costs queries per listed page: one locale lookup for
`meta.locale` (measured in bakerydemo: 20 of 29 queries for 20 pages), and, with
`fields=*`, a query per page for each kind of chosen object in the StreamField body
(videos, images, pages) plus one per image rendition. This subclass loads all of those
for the whole page of results at once, so 2 and 20 pages cost the same.

`config/api.py` combines it with search's Persian-aware `?search=`.
"""

from collections.abc import Sequence

from django.db.models import prefetch_related_objects

from wagtail.api.utils import get_full_url
from wagtail.blocks import StreamValue, StructValue
from wagtail.fields import StreamField
from wagtail.images.api.v2.serializers import ImageDownloadUrlField, ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.images.models import AbstractImage
from wagtail.query import PageQuerySet
from wagtailmedia.api.serializers import MediaItemSerializer as WagtailMediaItemSerializer
from wagtailmedia.api.views import MediaAPIViewSet as WagtailMediaAPIViewSet
from wagtailmedia.models import get_media_model

from videos.api import PosterURLField, RenditionsField
from videos.sources import attach


class PrefetchingPagesMixin:
    """For a `PagesAPIViewSet` (sub)class: loads what serialising the pages needs in bulk."""

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset = queryset.select_related("locale")
        if isinstance(queryset, PageQuerySet):
            # Listings without ?type= are turned into specific pages by one query per type;
            # those queries need the locale too.
            queryset = queryset.select_related("locale", for_specific_subqueries=True)
        if hasattr(queryset.model, "form_fields"):
            # A campaign's extra registration questions (api field "form_fields").
            queryset = queryset.prefetch_related("form_fields")
        return queryset

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if args:
            many = kwargs.get("many", False)
            fields = serializer.child.fields if many else serializer.fields
            pages = list(args[0]) if many else [args[0]]
            prefetch_stream_fields(pages, field_names=set(fields))
        return serializer


class AbsoluteImageDownloadUrlField(ImageDownloadUrlField):
    """Wagtail gives images a relative `download_url` (documents and videos get absolute ones)."""

    def to_representation(self, image):
        return get_full_url(self.context.get("request"), image.file.url)


class AbsoluteImageSerializer(ImageSerializer):
    download_url = AbsoluteImageDownloadUrlField(read_only=True)


class ImagesAPIViewSet(WagtailImagesAPIViewSet):
    """Images, every URL absolute like the rest of the API."""

    base_serializer_class = AbsoluteImageSerializer


class MediaItemSerializer(WagtailMediaItemSerializer):
    renditions = RenditionsField()
    poster_url = PosterURLField()


class MediaAPIViewSet(WagtailMediaAPIViewSet):
    """wagtailmedia's videos and audio files; `?type=video` or `?type=audio` lists one kind.

    Each video also lists its web renditions (url, type, size, dimensions) and poster, loaded
    for the whole listing with one query.
    """

    base_serializer_class = MediaItemSerializer
    known_query_parameters = WagtailMediaAPIViewSet.known_query_parameters.union(["type"])
    body_fields = [*WagtailMediaAPIViewSet.body_fields, "duration", "renditions", "poster_url"]
    listing_default_fields = [
        *WagtailMediaAPIViewSet.listing_default_fields,
        "duration",
        "renditions",
        "poster_url",
    ]

    def get_serializer(self, *args, **kwargs):
        if args:
            items = args[0]
            attach(list(items) if kwargs.get("many") else [items])
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self):
        # Each listed item's collection in the same query (Wagtail's tags field queries per item).
        queryset = super().get_queryset().order_by("id").select_related("collection")
        media_type = self.request.GET.get("type")
        if media_type:
            queryset = queryset.filter(type=media_type)
        return queryset


def prefetch_stream_fields(pages, field_names) -> None:
    """Convert the requested StreamFields of all `pages` together, then fetch their renditions.

    `StreamBlock.bulk_to_python` takes many streams at once, so each chooser block costs one
    query for every page together instead of one per page.
    """
    images, videos = [], []
    by_field: dict[tuple[type, str], list] = {}
    for page in pages:
        for field in type(page)._meta.get_fields():
            if isinstance(field, StreamField) and field.name in field_names:
                by_field.setdefault((type(page), field.name), []).append(page)
    for (model, name), model_pages in by_field.items():
        stream_block = model._meta.get_field(name).stream_block
        raw_streams = [list(getattr(page, name).raw_data) for page in model_pages]
        for page, value in zip(model_pages, stream_block.bulk_to_python(raw_streams), strict=True):
            setattr(page, name, value)
            images.extend(_found_in(value, AbstractImage))
            videos.extend(_found_in(value, get_media_model()))
    if images:
        prefetch_related_objects(images, "renditions")
    if videos:
        attach(videos)  # their web renditions and posters, one query for all


def _found_in(value, model):
    if isinstance(value, model):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _found_in(child.value, model)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _found_in(child, model)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for child in value:
            yield from _found_in(child, model)
