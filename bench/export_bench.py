"""Time one registrations export in a fresh process: time to first byte, total, peak RSS.

    DATABASE_URL=postgres://… python bench/export_bench.py mine_csv|mine_xlsx|stock_csv|stock_xlsx

`mine_*` is the back office's own export (/admin/registrations/?export=…);
`stock_*` is Wagtail's stock ModelViewSet listing export (IndexView + list_export) of the
same rows and the same columns less the campaign title, as a project would get with zero export code.
Run each kind in its own process so peak RSS is that export's alone.
"""

import os
import resource
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django


django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from wagtail.admin.views.generic import IndexView  # noqa: E402

from registrations.models import VISITOR_FIELDS, Registration  # noqa: E402


# The same columns as the back office's export, less the campaign: with select_related
# every row would carry its own copy of the campaign page (StreamField body and all), and
# without it every row costs a query; either would make the stock figures look worse
# than a project would tune them.
STOCK_COLUMNS = [
    "tracking_code",
    "status",
    "source",
    *VISITOR_FIELDS,
    "created_at",
    "confirmed_at",
    "reviewed_at",
    "rejection_reason",
    "extra_answers",
]


class StockIndexView(IndexView):
    model = Registration
    list_export = STOCK_COLUMNS
    index_url_name = "registration:index"
    index_results_url_name = "registration:index_results"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def superuser():
    User = get_user_model()
    user = User.objects.filter(is_superuser=True).first()
    if user is None:
        user = User.objects.create_superuser("bench", password="bench-only")  # noqa: S106
    return user


def response_for(kind: str, user):
    export_format = kind.split("_")[1]
    if kind.startswith("mine"):
        client = Client()
        client.force_login(user)
        return client.get("/admin/registrations/", {"export": export_format})
    request = RequestFactory().get("/admin/registrations/", {"export": export_format})
    request.user = user
    return StockIndexView.as_view()(request)


def warm_up(user) -> None:
    """Load the URLconf, admin hooks, templates and the DB connection, as a running server has."""
    client = Client()
    client.force_login(user)
    client.get("/admin/")
    client.get("/admin/registrations/")


def main(kind: str) -> None:
    user = superuser()
    rows = Registration.objects.count()
    warm_up(user)
    baseline = rss_mb()
    start = time.perf_counter()
    response = response_for(kind, user)
    first_byte = None
    size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        if first_byte is None:
            first_byte = time.perf_counter() - start
        size += len(chunk)
    total = time.perf_counter() - start
    print(
        f"{kind:11} rows={rows} status={response.status_code} ttfb={first_byte:.2f}s "
        f"total={total:.2f}s bytes={size} baseline_rss={baseline:.0f}MB peak_rss={rss_mb():.0f}MB"
    )


if __name__ == "__main__":
    main(sys.argv[1])
