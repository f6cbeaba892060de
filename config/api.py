from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from search.api import PersianPagesAPIViewSet


api_router = WagtailAPIRouter("wagtailapi")
# ?search= folds Persian spellings like the site search.
api_router.register_endpoint("pages", PersianPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
