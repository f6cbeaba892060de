from django.views.decorators.http import require_safe

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from home.api import ImagesAPIViewSet, MediaAPIViewSet, PrefetchingPagesMixin
from search.api import PersianPagesAPIViewSet


class PagesAPIViewSet(PrefetchingPagesMixin, PersianPagesAPIViewSet):
    """Pages: `?search=` folds Persian spellings like the site search; listings cost a fixed
    number of queries however many pages they hold."""


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("media", MediaAPIViewSet)


def v3_preview_urls():
    """Wagtail 8's API v3 (a preview), for headless front ends to show editors' drafts.

    `GET /api/v3-preview/pages/<id>/?version=draft` with an editor's API token returns the
    latest draft. Only reading is mounted: v3 can also create, publish and delete pages,
    which the site does not offer outside the admin.
    """
    from wagtail.api.v3.urls import api

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = require_safe(pattern.callback)
    return patterns, app_name, namespace
