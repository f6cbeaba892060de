"""Settings shared by every environment; every deploy-time value comes from the environment.

With nothing set the project runs on a SQLite file, Celery tasks run eagerly in the web
process and SMS are printed to the console, so `make run` needs no other service.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

import environ


BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used for absolute links that leave the site (SMS replies).
# generate_registrations / generate_problem_reports write fake rows: never in production.
GENERATED_DATA_ALLOWED = True
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL

INSTALLED_APPS = [
    "persian",
    "sitecache",
    "home",
    "campaigns",
    "videos",
    "sms",
    "registrations",
    "accounts",
    "problems",
    "interventions",
    "search",
    "atlas",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "phonenumber_field",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.RefuseNulInQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Web requests only (config/gunicorn.py sets it, 20 s, under gunicorn's 30 s timeout):
    # a runaway query is cancelled and answered with a Persian page (config/views.py)
    # before gunicorn would kill the worker. Workers and commands keep no limit here;
    # Celery's task time limits bound them instead.
    if _statement_timeout := env.int("DB_STATEMENT_TIMEOUT_MS", default=0):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={_statement_timeout}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # Redis down must not take the site down: cache reads miss, writes are dropped (and
    # logged), rate limits fail open (RATELIMIT_FAIL_OPEN), and no call waits long.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        IGNORE_EXCEPTIONS=True, SOCKET_CONNECT_TIMEOUT=1, SOCKET_TIMEOUT=1
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Persian first: fa is the default language, served at the root without a prefix.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fa", "فارسی"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

PHONENUMBER_DEFAULT_REGION = "IR"
PHONENUMBER_DB_FORMAT = "E164"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Background exports of personal data: never under MEDIA_ROOT (served at /media/);
    # fetched only through the owner-only download view. Web and workers must share it
    # (one disk, or a private bucket with django-storages when they run on several hosts).
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("EXPORTS_ROOT", default=BASE_DIR / "exports")},
    },
}

# Page editors post large forms; public bodies are limited per view.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "نهضت مشارکت اجتماعی"
# Wagtail's database backend: SQLite FTS5 on SQLite, PostgreSQL full-text search on
# PostgreSQL (chosen by the connection; django.contrib.postgres is not needed for it).
# PostgreSQL has no Persian configuration and "arabic" mangles Persian words, so "simple":
# no stemming, no stop words. Persian spellings are folded by the project itself on both
# sides (search/indexing.py, search/services.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    },
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "txt"]
# Documents only through Wagtail's view, which checks a private collection's restrictions; never
# a redirect to the file's own address (config/media.py and nginx refuse `media/documents/`).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
if env("SENDFILE_BACKEND", default=""):
    # Behind nginx: config.sendfile, the view checks and nginx sends (X-Accel-Redirect).
    SENDFILE_BACKEND = env("SENDFILE_BACKEND")
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILMEDIA = {
    "MEDIA_FORM_BASE": "campaigns.forms.CheckedMediaForm",
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "ogg"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
# Largest video or audio file an editor may upload, in bytes.
MEDIA_MAX_UPLOAD_SIZE = env.int("MEDIA_MAX_UPLOAD_SIZE", default=200 * 1024 * 1024)
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50

# Celery: without a broker, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Kombu's Redis transport, reusing its redis-py client (config/broker.py).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE

CELERY_TASK_ROUTES = {"registrations.tasks.send_sms": {"queue": "sms"}}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Fail fast when the broker is down: the outbox row waits and the sweep enqueues it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Every retry countdown (at most SMS_RETRY_BACKOFF_MAX) stays far below this, or Redis would
# hand a waiting task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1800}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection around every task, so each SMS paid
# for a new PostgreSQL connection (about half a worker's CPU per message). Reuse them:
# config/celery.py closes stale or broken ones between tasks the way Django does between
# requests (CONN_MAX_AGE, CONN_HEALTH_CHECKS); the fixup still recycles one every 1000 tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    "sweep-sms-outbox": {"task": "registrations.tasks.sweep_outbox", "schedule": 60.0},
    "pull-delivery-reports": {
        "task": "registrations.tasks.pull_delivery_reports",
        "schedule": 300.0,
    },
    "pull-inbound-sms": {"task": "registrations.tasks.pull_inbound_sms", "schedule": 120.0},
    "fold-registration-summaries": {
        "task": "registrations.tasks.fold_summaries",
        "schedule": 60.0,
    },
    "remove-expired-exports": {
        "task": "registrations.tasks.remove_expired_exports",
        "schedule": 3600.0,
    },
}

# Registration and SMS confirmation
REGISTRATION_CODE_TTL = 600  # seconds a verification code stays valid
REGISTRATION_CODE_MAX_ATTEMPTS = 5
REGISTRATION_RESEND_COOLDOWN = env.int(
    "REGISTRATION_RESEND_COOLDOWN", default=60
)  # s between two codes
REGISTRATION_DAILY_CODE_CAP = env.int("REGISTRATION_DAILY_CODE_CAP", default=5)
REGISTRATION_MIN_FILL_SECONDS = env.int("REGISTRATION_MIN_FILL_SECONDS", default=3)
# Seconds a shown form's start token stays usable; each token carries one registration.
REGISTRATION_FORM_MAX_AGE = env.int("REGISTRATION_FORM_MAX_AGE", default=2 * 3600)
REGISTRATION_MAX_BODY_BYTES = 64 * 1024
# Exports of more rows than this run as background jobs (registrations/backoffice/background_exports.py).
REGISTRATION_EXPORT_STREAM_MAX_ROWS = env.int("REGISTRATION_EXPORT_STREAM_MAX_ROWS", default=50_000)
REGISTRATION_IP_RATE = env("REGISTRATION_IP_RATE", default="30/10m")
REGISTRATION_MOBILE_RATE = env("REGISTRATION_MOBILE_RATE", default="10/h")
STATUS_LOOKUP_IP_RATE = env("STATUS_LOOKUP_IP_RATE", default="30/10m")
SMS_LINK_MAX_AGE = 3 * 24 * 3600  # seconds an SMS link to the form stays valid
SMS_KEYWORD_REPLY_WINDOW = 3600  # a repeated keyword within this gets no second reply
SMS_WEBHOOK_SECRET = env("SMS_WEBHOOK_SECRET", default="dev-webhook-secret")
SMS_MAX_ATTEMPTS = 10
SMS_RETRY_BACKOFF_MAX = 300
SMS_SWEEP_GRACE = 120
SMS_SWEEP_BATCH = 1000

# Rate limits count in the cache; when the cache is unreachable, serve rather than refuse.
RATELIMIT_FAIL_OPEN = True
# The request header (META key, e.g. HTTP_X_REAL_IP) a trusted proxy puts the visitor's address
# in; unset: the connection's address. Read by config.security.client_ip for the rate limits
# and admin lockouts, which checks it, so a malformed value shares one bucket, never fails.
CLIENT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
RATELIMIT_IP_META_KEY = "config.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per internal Wagtail task (search and reference indexing) is noise.
        "django_tasks": {"level": "WARNING"},
        # "<worker> ready." stays when a worker runs at LOG_LEVEL=WARNING to save its three
        # INFO lines per task (about 0.1-0.2 ms of CPU per SMS).
        "celery.apps.worker": {"level": "INFO"},
    },
}

# --- SMS gateway (sms.backends) ---------------------------------------------------
# SMS_BACKEND: "console" (printed), "locmem" (tests), "kavenegar", "smsir", or a dotted path.
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_SENDER_LINE = env("SMS_SENDER_LINE", default="30001152")
KAVENEGAR_BASE_URL = env("KAVENEGAR_BASE_URL", default="https://api.kavenegar.com")
KAVENEGAR_API_KEY = env("KAVENEGAR_API_KEY", default="")
SMSIR_BASE_URL = env("SMSIR_BASE_URL", default="https://api.sms.ir")
SMSIR_API_KEY = env("SMSIR_API_KEY", default="")
# (connect, read) seconds for every provider call; the official SDKs set none.
SMS_CONNECT_TIMEOUT = env.float("SMS_CONNECT_TIMEOUT", default=3.05)
SMS_READ_TIMEOUT = env.float("SMS_READ_TIMEOUT", default=10)
# urllib3 logs request paths at DEBUG, and Kavenegar's API key is part of the path.
LOGGING["loggers"]["urllib3"] = {"level": "INFO"}
# --- end SMS gateway -------------------------------------------------------------------

# --- Headless API (Wagtail API v2, registration API, OpenAPI schema) --------------------
# wagtail.api.v3 adds Settings → API tokens to the admin (tokens for the draft preview).
INSTALLED_APPS += ["wagtail.api.v3", "corsheaders", "drf_spectacular", "drf_spectacular_sidecar"]
# As early as possible, so even a refused or redirected API request carries CORS headers.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
# Front ends on other origins that may call the API, e.g. https://app.example.org
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# Rich text reaches headless clients as HTML with real links, not Wagtail's internal format.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# The v3 preview API's docs page loads Swagger UI from a CDN; the site never does.
WAGTAILAPI_DOCS_ENABLED = False
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Nehzat registration API",
    "DESCRIPTION": (
        "Register a popular group, NGO or facilitator for a campaign and confirm the mobile "
        "with the code sent by SMS. Campaign content is served by the Wagtail API v2 at "
        "/api/v2/ (pages, images, documents, media)."
    ),
    "VERSION": "1.0.0",
    "TAGS": [
        {"name": "campaigns", "description": "The campaigns that take registrations."},
        {"name": "registrations", "description": "Register, confirm the mobile, look up."},
        {
            "name": "problems",
            "description": "Social problems: taxonomy, verified reports, report, support.",
        },
        {
            "name": "interventions",
            "description": "Community interventions: stages, progress, named groups (read only).",
        },
        {
            "name": "atlas",
            "description": "Open data: the atlas's layers, a count per province (docs/atlas.md).",
        },
        {
            "name": "account",
            "description": (
                "A registered group's account: sign in by SMS code, its registrations, "
                "profile, mobile, co-members, withdrawal (docs/accounts.md)."
            ),
        },
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    # servers, contact and licence, from PUBLIC_BASE_URL and the API_* settings below.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registrations.api.schema.public_addresses",
    ],
    "PREPROCESSING_HOOKS": ["registrations.api.schema.registration_endpoints_only"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# The licence and contact the OpenAPI schema names (the site's address unless set).
API_LICENSE_NAME = env("API_LICENSE_NAME", default="Terms of use of the campaign site")
API_LICENSE_URL = env("API_LICENSE_URL", default="")
API_CONTACT_EMAIL = env("API_CONTACT_EMAIL", default="")
# --- end headless API --------------------------------------------------------------------
# --- production readiness: page cache, renditions, security headers, lockouts, logs ---------
from datetime import timedelta  # noqa: E402


def _cache_config(url: str, prefix: str) -> dict:
    """A cache alias of its own: a key prefix on Redis, a separate store in local memory.

    On Redis, errors are swallowed (and logged): an outage means uncached pages and renditions
    looked up in the database, never a 500.
    """
    config = env.cache_url_config(url)
    config["KEY_PREFIX"] = prefix
    if config["BACKEND"] == "django_redis.cache.RedisCache":
        config.setdefault("OPTIONS", {}).update(
            {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        )
    else:
        config["LOCATION"] = prefix
    return config


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
CACHES["pages"] = _cache_config(
    env("PAGE_CACHE_URL", default=env("CACHE_URL", default="locmemcache://")), "pages"
)
CACHES["renditions"] = _cache_config(env("CACHE_URL", default="locmemcache://"), "renditions")

# Anonymous GETs of Wagtail pages are cached whole for this long (0: off); publishing purges.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=60)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "sitecache.pagecache.PageCacheMiddleware",
)

# A CDN or caching proxy in front: purged with the page cache (Wagtail's frontend cache).
INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
FRONTEND_CACHE_BACKEND = env("FRONTEND_CACHE_BACKEND", default="")
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE_BACKEND == "http":
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_LOCATION"),
    }
elif FRONTEND_CACHE_BACKEND == "cloudflare":
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env("CLOUDFLARE_ZONEID"),
    }

# Content-Security-Policy (django-csp): no inline script or style on public pages.
INSTALLED_APPS.append("csp")
MIDDLEWARE.append("config.security.SiteCSPMiddleware")
_CSP_MEDIA = env.list("CSP_MEDIA_HOSTS", default=[])  # a CDN or storage host serving uploads
_CSP_EMBEDS = ["https://www.aparat.com", "https://www.youtube-nocookie.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_CSP_MEDIA],
        "media-src": ["'self'", *_CSP_MEDIA],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": _CSP_EMBEDS,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
ADMIN_CSP_PREFIXES = ("/admin/",)
ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *_CSP_MEDIA],
    "media-src": ["'self'", "blob:", *_CSP_MEDIA],
    "font-src": ["'self'", "data:"],
    "frame-src": ["'self'", *_CSP_EMBEDS],
}
# The admin would otherwise fetch avatars from gravatar.com for every staff member.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Admin login brute-force protection (django-axes): a locked-out address or account waits.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Group members' sessions (accounts/): they sign in by SMS code, never by password.
    "accounts.backends.MemberBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"

# Optional two-factor sign-in for staff (django-otp, TOTP): staff who turn it on in their
# account give a code from an authenticator app after the password (twofactor/).
INSTALLED_APPS += ["twofactor", "django_otp", "django_otp.plugins.otp_totp"]
# django-otp's OTPMiddleware, as a subclass that keeps Wagtail's audit log of request.user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "twofactor.middleware.OTPMiddleware",
)
# A session that never gave a code is signed out once its user turns two-factor on.
MIDDLEWARE.insert(
    MIDDLEWARE.index("twofactor.middleware.OTPMiddleware") + 1,
    "twofactor.middleware.SignOutUnverifiedSessions",
)
WAGTAILADMIN_USER_LOGIN_FORM = "twofactor.forms.LoginForm"
# The name authenticator apps show above the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=WAGTAIL_SITE_NAME)

# /healthz/: each check gives up after this many seconds.
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=1.0)

# Registrations older than this many days are deleted or anonymised by
# `manage.py purge_old_registrations` (run it daily from cron or a scheduler).
REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=730)

# Group accounts (accounts/): codes follow the registration's rules (REGISTRATION_CODE_*);
# members' sessions last this long, whatever staff sessions do.
ACCOUNT_SESSION_AGE = env.int("ACCOUNT_SESSION_AGE", default=14 * 24 * 3600)
ACCOUNT_IP_RATE = env("ACCOUNT_IP_RATE", default="30/10m")
ACCOUNT_MOBILE_RATE = env("ACCOUNT_MOBILE_RATE", default="10/h")
# After REGISTRATION_CODE_MAX_ATTEMPTS wrong codes a number waits this long.
ACCOUNT_LOCKOUT_SECONDS = env.int("ACCOUNT_LOCKOUT_SECONDS", default=15 * 60)
# A sign-in link texted back for the account keyword works once, within this many seconds.
ACCOUNT_LINK_MAX_AGE = env.int("ACCOUNT_LINK_MAX_AGE", default=15 * 60)
# Besides its representative, a group may have this many members who sign in.
ACCOUNT_MAX_CO_MEMBERS = env.int("ACCOUNT_MAX_CO_MEMBERS", default=3)

# Logs: phone numbers, codes and URL secrets masked everywhere; JSON lines with LOG_FORMAT=json.
LOGGING["filters"] = {"mask_personal": {"()": "config.logfilters.MaskPersonalData"}}
LOGGING["formatters"]["json"] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
LOGGING["handlers"]["console"]["filters"] = ["mask_personal"]
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="plain")
# --- end production readiness ---------------------------------------------------------------

# --- media: video renditions (videos/) and S3-compatible object storage (docs/media.md) -----
# Transcoding runs on its own queue, one file at a time per worker (Procfile: media).
CELERY_TASK_ROUTES["videos.tasks.process_video"] = {"queue": "media"}
CELERY_BEAT_SCHEDULE["sweep-video-queue"] = {
    "task": "videos.tasks.sweep_video_queue",
    "schedule": 300.0,
}
VIDEO_PROCESSING = env.bool("VIDEO_PROCESSING", default=True)
VIDEO_FFMPEG = env("VIDEO_FFMPEG", default="ffmpeg")
VIDEO_FFPROBE = env("VIDEO_FFPROBE", default="ffprobe")
# Seconds one upload may take for all its renditions and poster; then it is marked failed.
VIDEO_TRANSCODE_TIME_LIMIT = env.int("VIDEO_TRANSCODE_TIME_LIMIT", default=1800)
VIDEO_X264_PRESET = env("VIDEO_X264_PRESET", default="veryfast")
VIDEO_FFMPEG_THREADS = env.int("VIDEO_FFMPEG_THREADS", default=0)  # 0: ffmpeg decides
VIDEO_POSTER_AT = env.float("VIDEO_POSTER_AT", default=3.0)  # seconds into the video
# Smallest first. `short_side` is the height of a landscape video (the width of a portrait
# one); `media` is the <source media> query that picks it on small screens.
VIDEO_RENDITIONS = [
    {"name": "360p", "short_side": 360, "video_kbps": 400, "audio_kbps": 64,
     "media": "(max-width: 640px)"},
    {"name": "720p", "short_side": 720, "video_kbps": 1800, "audio_kbps": 128, "media": ""},
]  # fmt: skip

# MEDIA_STORAGE=s3: uploads, image renditions and video renditions in a bucket (ArvanCloud,
# MinIO, AWS, …) instead of MEDIA_ROOT. Documents are served only as signed, short-lived URLs,
# after Wagtail's permission check (config/storage.py).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
MEDIA_STORAGE_HOSTS: list[str] = []
if MEDIA_STORAGE == "s3":
    from urllib.parse import urlparse

    _s3_endpoint = env("MEDIA_S3_ENDPOINT_URL", default="") or None
    _s3_domain = env("MEDIA_S3_CUSTOM_DOMAIN", default="") or None
    STORAGES["default"] = {
        "BACKEND": "config.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": _s3_endpoint,
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("MEDIA_S3_REGION", default="") or None,
            "custom_domain": _s3_domain,
            "addressing_style": env("MEDIA_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "querystring_expire": env.int("MEDIA_S3_SIGNED_URL_SECONDS", default=300),
            # Public files at plain URLs a CDN can cache; never overwrite another upload.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {
                "CacheControl": env("MEDIA_S3_CACHE_CONTROL", default="public, max-age=86400")
            },
        },
    }
    # Wagtail checks a document's privacy, then redirects to its signed URL.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
    for _url in (_s3_endpoint, _s3_domain and f"https://{_s3_domain}"):
        if _url and urlparse(_url).netloc:
            MEDIA_STORAGE_HOSTS.append(f"{urlparse(_url).scheme}://{urlparse(_url).netloc}")
    for _directives in (CONTENT_SECURITY_POLICY["DIRECTIVES"], ADMIN_CSP_REPLACE):
        for _name in ("img-src", "media-src"):
            _directives[_name] = [*_directives[_name], *MEDIA_STORAGE_HOSTS]
elif MEDIA_STORAGE != "local":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
# --- end media ---------------------------------------------------------------------------------

# Problem reports (problems/): photos per report and their size, rate limits of the form.
PROBLEM_PHOTO_MAX_BYTES = env.int("PROBLEM_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
PROBLEM_MAX_PHOTOS = 3
PROBLEM_IP_RATE = env("PROBLEM_IP_RATE", default="30/10m")
PROBLEM_MOBILE_RATE = env("PROBLEM_MOBILE_RATE", default="10/h")
PROBLEM_LIST_CACHE_SECONDS = 60
# A code check (a mobile and a code's hash) is of use for an hour (its cookie); kept a day, then purged.
PROBLEM_MOBILE_CHECK_RETENTION_HOURS = env.int("PROBLEM_MOBILE_CHECK_RETENTION_HOURS", default=24)
CELERY_BEAT_SCHEDULE["purge-problem-mobile-checks"] = {
    "task": "problems.tasks.purge_mobile_checks",
    "schedule": 3600.0,
}
# The atlas (docs/atlas.md): its figures are recounted on a cache miss and by beat, which
# purges the cached pages when they changed (the home and campaign pages show its counters).
ATLAS_CACHE_SECONDS = env.int("ATLAS_CACHE_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["refresh-atlas"] = {"task": "atlas.tasks.refresh_atlas", "schedule": 300.0}
# Invitations to interventions (interventions/invitations.py): one reminder, then "no answer".
CELERY_BEAT_SCHEDULE["remind-invitations"] = {
    "task": "interventions.tasks.remind_invitations",
    "schedule": 3600.0,
}
SPECTACULAR_SETTINGS["TAGS"].append(
    {
        "name": "matching",
        "description": "Staff tokens only: groups matched to problems and interventions.",
    }
)
