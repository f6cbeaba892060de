"""The atlas at national scale: cold rebuild of every layer, and the page served from cache.

    .venv/bin/python bench/atlas.py --db-url postgres://postgres@127.0.0.1:5432/nehzat_at_1m

on a database built by `bench/scale.py build --rows 1000000`. Under
`config.settings.production` with a private Redis db as cache, in this process:
`aggregates.compute()` (the one grouped query behind all layers; median of `--repeat`),
then `/atlas/` and the campaign page through Django's test client, each once cold and
then `--hits` times from the page cache (median).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_at_1m")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hits", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(production_env(args.db_url, args.redis_url))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache, caches
    from django.core.management import call_command
    from django.test import Client

    from atlas import aggregates
    from registrations.models import Registration

    rows = Registration.objects.count()
    approved = Registration.objects.filter(status="approved").count()
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        aggregates.compute()
        timings.append(time.perf_counter() - start)
    print(f"rows {rows:,} (approved {approved:,})")
    print(
        f"cold rebuild of all layers (compute): median {statistics.median(timings):.3f} s, "
        f"runs {', '.join(f'{t:.3f}' for t in timings)}"
    )
    # Production settings serve hashed static files: the pages need the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    for url in ("/atlas/", "/nehzat/"):
        cache.clear()
        caches["pages"].clear()
        start = time.perf_counter()
        first = client.get(url)
        cold = time.perf_counter() - start
        hits = []
        for _ in range(args.hits):
            start = time.perf_counter()
            response = client.get(url)
            hits.append(time.perf_counter() - start)
        assert first.status_code == 200 and response["X-Page-Cache"] == "hit", url
        print(
            f"{url}: cold {cold * 1000:.1f} ms, cached median {statistics.median(hits) * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
