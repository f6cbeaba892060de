"""Wagtail's document view hands the file to nginx (X-Accel-Redirect) after its permission check.

Set SENDFILE_BACKEND=config.sendfile where nginx sits in front (deploy/nginx.conf): the
documents' folder there is `internal`, so a private collection's files are reachable only
through Wagtail's view (`/documents/<id>/<name>`), which checks the collection's
restrictions first, while nginx still does the sending.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse


def sendfile(request, filename, **kwargs):
    """The django-sendfile backend interface that wagtail.utils.sendfile calls."""
    relative = Path(filename).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    response = HttpResponse()
    response["X-Accel-Redirect"] = quote(f"{settings.MEDIA_URL}{relative.as_posix()}")
    return response
