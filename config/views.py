"""Site-wide error views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults


# Errors that mean "the database cannot be reached right now", not "the code is wrong":
# refused or dropped connections, a server restarting, a cancelled statement.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _statement_timed_out(error) -> bool:
    """PostgreSQL cancelled the statement at DB_STATEMENT_TIMEOUT_MS (SQLSTATE 57014)."""
    cause = error.__cause__
    return getattr(getattr(cause, "diag", None), "sqlstate", None) == "57014" or (
        type(cause).__name__ == "QueryCanceled"
    )


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database outage gets a calm 503 page; anything else a Persian 500.

    A handler rather than a middleware's process_exception, because Django sends here
    whatever escapes a view *or* a middleware (sessions, page cache, wagtail's redirects),
    while process_exception only sees views. The page is rendered without context
    processors, so it needs nothing from the database it reports missing.
    """
    error = sys.exc_info()[1]
    wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if not isinstance(error, DATABASE_UNAVAILABLE):
        # Django's own page is an English "Server Error (500)": a Persian one, like the 503.
        message = _(
            "Something went wrong on our side and has been reported. Please try again later; "
            "if you were sending a form, check whether it arrived before sending it again."
        )
        if wants_json:
            response = JsonResponse({"error": "server_error", "message": message}, status=500)
        else:
            response = HttpResponse(
                render_to_string(template_name, {"message": message}), status=500
            )
        response["Cache-Control"] = "no-store"
        return response
    if _statement_timed_out(error):
        message = _(
            "This page took too long to prepare and was stopped. Try again, or narrow the "
            "filters; exports of many rows run in the background instead."
        )
    else:
        message = _(
            "The site is unavailable for a moment. Please try again in a minute. If you were "
            "sending a form, nothing was saved: go back and send it again."
        )
    if wants_json:
        response = JsonResponse({"error": "service_unavailable", "message": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
