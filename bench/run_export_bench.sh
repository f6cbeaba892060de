#!/usr/bin/env bash
# Export benchmark: the back office's CSV/XLSX against Wagtail's stock listing export,
# one process per measurement, on the database in DATABASE_URL (load it first with
# `manage.py load_demo_content && manage.py generate_registrations --count 100000 --seed 1`).
set -euo pipefail
cd "$(dirname "$0")/.."
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-testserver,localhost}"
# DEBUG off, as in production: with DEBUG on Django keeps every query in memory.
export DEBUG=False
mkdir -p bench/results
out="bench/results/export-$(date +%Y%m%d-%H%M%S).txt"
{
    echo "# $(date -Is) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    for kind in ${KINDS:-mine_csv stock_csv mine_xlsx stock_xlsx}; do
        /usr/bin/time -f "    (/usr/bin/time: wall=%es maxrss=%MKB)" \
            .venv/bin/python bench/export_bench.py "$kind" 2>&1 | grep -v '^WARNING'
    done
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
