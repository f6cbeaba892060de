"""Lighthouse 12 (npm, pinned) on the e2e server, as a phone on a slow network sees it.

Accessibility and best practices must score 100 on every page; SEO at least 95 on the
pages meant to be found (the form and the search results say `noindex`, on purpose, and
lose SEO points for it). Performance depends on the machine and is reported in
`bench/README.md`, not asserted. One Lighthouse run per page, Debian's Chromium
(CHROME_PATH), the server the other browser tests use; each report is kept in
test-artifacts/e2e/lighthouse/.
"""

import json
import os
import subprocess

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, unavailable
from tests.e2e.support import ARTIFACTS, ROOT


pytestmark = pytest.mark.e2e

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# (name, address, meant to be indexed)
PAGES = [
    ("campaign-fa", "/nehzat/", True),
    ("campaign-en", "/en/nehzat/", True),
    ("registration-fa", "/nehzat/register/", False),
    ("search-fa", "/search/?q=%D9%85%D8%B4%D8%A7%D8%B1%DA%A9%D8%AA", False),
]


def run_lighthouse(url: str, name: str) -> dict:
    if not LIGHTHOUSE.exists():
        unavailable(f"Lighthouse is not installed at {LIGHTHOUSE} (npm ci; make test does)")
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    folder = ARTIFACTS / "lighthouse"
    folder.mkdir(parents=True, exist_ok=True)
    report_path = folder / f"{name}.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
            "--max-wait-for-load=30000",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report_path.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {key: round((report["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits that cost the category points, with what Lighthouse says of each."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])[:3]
            failing.append(f"{ref['id']}: {audit['title']} {json.dumps(items)[:400]}")
    return failing


@pytest.mark.parametrize(("name", "path", "indexed"), PAGES, ids=[page[0] for page in PAGES])
def test_lighthouse_scores_accessibility_and_best_practices_100(site, name, path, indexed):
    report = run_lighthouse(site.url + path, name)
    assert not report.get("runtimeError"), report["runtimeError"]
    got = scores(report)
    print(f"lighthouse {name}: {got}")  # noqa: T201 - the performance figure for bench/README.md
    assert got["accessibility"] == 100, failing_audits(report, "accessibility")
    assert got["best-practices"] == 100, failing_audits(report, "best-practices")
    if indexed:
        assert got["seo"] >= 95, failing_audits(report, "seo")
