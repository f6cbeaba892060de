"""gunicorn settings for `Procfile`, `make serve` and the Docker image.

Environment: PORT (8000) or BIND (host:port), WEB_CONCURRENCY (worker processes, 2 per core is a good start),
GUNICORN_TIMEOUT (seconds, 30), DB_STATEMENT_TIMEOUT_MS (20000: PostgreSQL cancels a web
request's statement after it, so a slow page answers a Persian 503 before gunicorn's timeout
kills the worker; keep it under GUNICORN_TIMEOUT). Access and error logs go through the project's log filter,
so no phone number, code or webhook secret reaches them, as JSON when LOG_FORMAT=json.
"""

import os


bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Read by the settings when the workers import the app: web processes only.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", str(max(1, timeout - 10) * 1000))
# Re-use each worker's database connection across requests (CONN_MAX_AGE) but recycle
# workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# No runtime control socket: nothing uses it, and two servers on one machine would share it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1"
accesslog = "-" if _access_log else None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

_format = os.environ.get("LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "config.logfilters.MaskPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _format if _format in ("plain", "json") else "json",
            "filters": ["mask_personal"],
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["console"] if _access_log else [],
            "level": "INFO" if _access_log else "WARNING",
            "propagate": False,
        },
    },
}
