"""`/healthz/`: is this web process able to serve? Checks the database, the cache and the broker.

A small view rather than django-health-check: that package's Celery check round-trips a task
through a worker and a result backend, which this project does not run; here each check is
one cheap call with a short timeout, so the endpoint answers within about a second even
when a service hangs.

`?checks=database` limits the checks: a load balancer should use that, because the site
survives a Redis outage (pages uncached, SMS delayed) but not a database outage.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache = caches["default"]
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was just stored")


def _broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return "not configured: tasks run in the web process"
    from kombu import Connection

    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.HEALTHZ_TIMEOUT,
        transport_options={"socket_timeout": settings.HEALTHZ_TIMEOUT},
    ) as connection:
        connection.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_TIMEOUT)
    return None


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
def healthz(request):
    wanted = [name for name in request.GET.get("checks", "").split(",") if name in CHECKS]
    results = {}
    healthy = True
    for name in wanted or CHECKS:
        started = time.perf_counter()
        try:
            note = CHECKS[name]()
        except Exception as error:  # any failure of the service is the answer, not a crash
            healthy = False
            results[name] = {"ok": False, "error": error.__class__.__name__}
        else:
            results[name] = {"ok": True}
            if note:
                results[name]["note"] = note
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results},
        status=200 if healthy else 503,
    )
