from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularSwaggerSplitView

from home.seo import SITEMAPS, favicon_ico, robots_txt
from registrations.api.views import OpenCampaigns, RegistrationSchemaView
from search.views import search_api

from .api import api_router, v3_preview_urls
from .health import healthz
from .media import serve_media


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("", include("registrations.web.sms_urls")),
    path("", include("sms.urls")),
    path("api/search/", search_api, name="search_api"),
    path("healthz/", healthz, name="healthz"),
    # For crawlers and for tools that ask for /favicon.ico whatever the page links to.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon_ico),
]

# Headless: registrations for apps, their OpenAPI schema and docs, Wagtail's v3 draft preview.
urlpatterns += [
    path("api/registrations/", include("registrations.api.urls")),
    path("api/problems/", include("problems.api.urls")),
    path("api/account/", include("accounts.api.urls")),
    path("api/interventions/", include("interventions.api.urls")),
    path("api/campaigns/", OpenCampaigns.as_view(), name="api-campaigns"),
    path("api/atlas/", include("atlas.api")),
    path("api/matching/", include("interventions.matching_api_urls")),
    path("api/schema/", RegistrationSchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v3-preview/", v3_preview_urls()),
]

if settings.SERVE_MEDIA:
    # Uploaded videos and images, served by Django only where no web server sits in front
    # (the demo, tests, `make serve`), with byte ranges for iPhones' video player. Production
    # puts nginx or a CDN here.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

# Persian at the root, English under /en/. Wagtail's catch-all stays last.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("", include("accounts.web.urls")),
    path("", include("problems.web.urls")),
    path("", include("interventions.web.urls")),
    path("", include("atlas.urls")),
    path("", include("registrations.web.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A database outage answers 503 with a Persian page, not a 500 (config/views.py).
handler500 = "config.views.server_error"
