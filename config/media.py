"""Uploaded files where no web server sits in front (`make run`, `make serve`, tests), with byte ranges.

Django's `django.views.static.serve` always answers with the whole file. Safari on iPhone
asks for a video in byte ranges first (`Range: bytes=0-1`) and will not play it from a
server that ignores them, so the demo video would not play on an iPhone under `make run`.
In production nginx serves `/media/` and does this itself (deploy/nginx.conf).

One range per request, as browsers ask for media; a request for several gets the whole file,
which RFC 9110 allows.
"""

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.static import serve


_SINGLE_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
_CHUNK = 64 * 1024


# Wagtail's documents (AbstractDocument.file's upload_to): a private collection's files must
# pass Wagtail's permission-checked view (/documents/<id>/<name>), so never served from here.
DOCUMENTS_FOLDER = "documents/"


def serve_media(request: HttpRequest, path: str, document_root: str) -> HttpResponse:
    if path.lstrip("/").startswith(DOCUMENTS_FOLDER):
        raise Http404
    response = serve(request, path, document_root=document_root)
    if not isinstance(response, FileResponse) or response.status_code != 200:
        return response  # 304 Not Modified, 404
    response["Accept-Ranges"] = "bytes"
    wanted = _SINGLE_RANGE.match(request.headers.get("Range", "").replace(" ", ""))
    size = int(response["Content-Length"])
    span = _span(wanted, size) if wanted else None
    if span is None:
        return response
    if span == "unsatisfiable":
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = span
    file = response.file_to_stream
    file.seek(start)
    partial = StreamingHttpResponse(
        _read(file, end - start + 1), status=206, content_type=response["Content-Type"]
    )
    partial._resource_closers.append(file.close)
    for header in ("Last-Modified", "Content-Disposition"):
        if header in response:
            partial[header] = response[header]
    partial["Accept-Ranges"] = "bytes"
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Content-Length"] = str(end - start + 1)
    return partial


# Any position past this is past the end of every file; reading thousands of digits as a
# number would be slow, and Python refuses more than 4,300 of them (a ValueError).
_BEYOND_ANY_FILE = 10**18


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return _BEYOND_ANY_FILE if len(digits) > 18 else int(digits)


def _span(wanted: re.Match, size: int):
    """(first byte, last byte) to send, "unsatisfiable", or None to send the whole file."""
    first, last = wanted.groups()
    if first == "" and last == "":
        return None  # "bytes=-": not a range at all
    if first == "":
        suffix = _position(last)  # the last N bytes
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    start = _position(first)
    end = _position(last) if last else size - 1
    if last and end < start:
        return None  # an invalid range is ignored, not refused
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def _read(file, remaining: int):
    while remaining > 0:
        chunk = file.read(min(_CHUNK, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk
