"""Settings of the live processes the integration tests and benchmarks start.

Production settings, on plain HTTP over loopback, with the outbox's recovery timings in
seconds instead of minutes so that a test sees a lost task recovered within its time.
Everything else (database, broker, cache, SMS provider) comes from the environment that
`tests.integration.stack.live_env` builds.
"""

import os
from pathlib import Path


# production.py insists on these; the stack always sets them.
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("SECRET_KEY", "integration-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES, env


# The integration tests and benchmarks seed their stack with generate_registrations.
GENERATED_DATA_ALLOWED = True


# Plain HTTP on 127.0.0.1: cookies must travel without TLS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The benchmarks collect static files into a folder of their own and serve them with
# WhiteNoise's manifest storage, as production does; the tests serve no static files.
STATIC_ROOT = env("STATIC_ROOT", default=str(Path(__file__).resolve().parents[2] / "staticfiles"))
if not env.bool("LIVE_COLLECTED_STATIC", default=False):
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# The outbox's clocks, shortened: a row left queued is swept after 3 s instead of 2 min,
# a row a killed worker left sending after 2 + 3 s, and retries wait at most 4 s.
SMS_SWEEP_GRACE = env.int("SMS_SWEEP_GRACE", default=3)
SMS_READ_TIMEOUT = env.float("SMS_READ_TIMEOUT", default=2)
SMS_RETRY_BACKOFF_MAX = env.int("SMS_RETRY_BACKOFF_MAX", default=4)
CELERY_BEAT_SCHEDULE = {
    "sweep-sms-outbox": {"task": "registrations.tasks.sweep_outbox", "schedule": 1.0},
}
