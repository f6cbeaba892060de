#!/usr/bin/env bash
# Page benchmarks (see bench/README.md): installs wrk from Debian if missing, then runs
# bench/run_pages.py against gunicorn with production settings, PostgreSQL and Redis.
#   bench/pages.sh [--db-url postgres://...] [--redis-url redis://...] [--rounds 3] [--skip-load]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
make --quiet .venv/.dev locale/fa/LC_MESSAGES/django.mo
exec .venv/bin/python bench/run_pages.py "$@"
