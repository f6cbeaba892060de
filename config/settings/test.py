"""Test settings: fast hashing, in-memory SMS outbox, nothing leaves the process."""

from .base import *  # noqa: F403
from .base import env


DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": env.cache("TEST_CACHE_URL", default="locmemcache://"),
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
    },
}
WAGTAILADMIN_BASE_URL = "http://testserver"
PUBLIC_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"
SERVE_MEDIA = True

SMS_BACKEND = "locmem"

# A file (not in-memory) SQLite test database, so `pytest --reuse-db` skips migrations
# between local runs. CI always starts from a fresh one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
    # A test database is thrown away: no fsync per commit (migrate's ~300 commits waited
    # ~6 s on the disk; docs/testing.md, "Suite time").
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405
