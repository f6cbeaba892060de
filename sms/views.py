"""Provider webhooks: received texts and delivery reports. A bad one writes nothing."""

import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from . import inbound, outbox
from .backends import get_backend


WEBHOOK_PROVIDERS = {"kavenegar", "smsir", "locmem"}


def _webhook_allowed(provider: str, secret: str) -> bool:
    if provider not in WEBHOOK_PROVIDERS:
        return False
    return hmac.compare_digest(secret.encode(), settings.SMS_WEBHOOK_SECRET.encode())


@csrf_exempt
def inbound_webhook(request, provider, secret):
    """A provider pushes a received SMS here (GET or POST). Wrong secret: 403, nothing written."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not _webhook_allowed(provider, secret):
        return HttpResponse(status=403)
    try:
        backend = get_backend(provider)
        message = backend.parse_inbound_push(
            request.POST if request.method == "POST" else request.GET
        )
    except (ValueError, LookupError, ImportError):
        return HttpResponse("bad request", status=400, content_type="text/plain")
    inbound.receive(message)
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
def report_webhook(request, provider, secret):
    """A provider pushes delivery reports here. Wrong secret: 403, nothing written."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not _webhook_allowed(provider, secret):
        return HttpResponse(status=403)
    try:
        reports = get_backend(provider).parse_report_push(
            request.POST if request.method == "POST" else request.GET
        )
    except (ValueError, LookupError, ImportError):
        return HttpResponse("bad request", status=400, content_type="text/plain")
    outbox.apply_reports(reports)
    return HttpResponse("OK", content_type="text/plain")
