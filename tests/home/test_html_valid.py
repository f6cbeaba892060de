"""Every public page, Persian and English, is valid HTML to html-validate (npm, pinned).

The rules are html-validate's `recommended` preset with the changes in `.htmlvalidate.cjs`,
each explained there. Pages are rendered by the test client (the same HTML gunicorn sends)
in every state a visitor meets: empty and with errors, before and after confirming, with
results and without. html-validate reads them all in one run.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from registrations.models import Registration
from tests.factories import registration_form_data
from tests.tools import ROOT, node_tool


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]


def code_from(sms_text: str) -> str:
    return re.search(r"\d{6}", sms_text).group(0)


def public_pages(client, on_commit, sms_outbox, prefix: str) -> dict[str, str]:
    """name → HTML of every page a visitor can reach in one language (`prefix` "" or "/en")."""
    pages = {}

    def keep(name, response, status=200):
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.content.decode()

    for name, url in [
        ("home", "/"),
        ("campaign", "/nehzat/"),
        ("privacy", "/privacy/"),
        ("register", "/nehzat/register/"),
        ("status", "/nehzat/status/"),
        ("search", "/search/"),
        ("search-results", "/search/?q=مشارکت"),
        ("search-nothing", "/search/?q=zzzzzz"),
        ("search-no-words", "/search/?q=؟"),
    ]:
        keep(name, client.get(prefix + url))
    keep("not-found", client.get(prefix + "/no-such-page/"), status=404)
    keep(
        "register-errors",
        on_commit(client.post, prefix + "/nehzat/register/", {"mobile": "123"}),
        status=400,
    )
    response = on_commit(
        client.post, prefix + "/nehzat/register/", registration_form_data(), follow=True
    )
    keep("confirm", response)
    registration = Registration.objects.latest("created_at")
    confirm = f"{prefix}/nehzat/register/{registration.public_id}/confirm/"
    keep("confirm-wrong-code", on_commit(client.post, confirm, {"code": "000000"}), status=400)
    code = code_from(sms_outbox[-1].text)
    keep("done", on_commit(client.post, confirm, {"code": code}, follow=True))
    registration.refresh_from_db()
    keep(
        "status-found",
        client.post(
            prefix + "/nehzat/status/",
            {"tracking_code": registration.tracking_code, "mobile": "0912 345 6789"},
        ),
    )
    keep(
        "status-not-found",
        client.post(prefix + "/nehzat/status/", {"tracking_code": "1", "mobile": "x"}),
        status=400,
    )
    return pages


def test_every_public_page_is_valid_html(client, demo, on_commit, sms_outbox, tmp_path):
    command = node_tool("html-validate")
    files = []
    for language, prefix in (("fa", ""), ("en", "/en")):
        for name, html in public_pages(client, on_commit, sms_outbox, prefix).items():
            path = tmp_path / f"{language}-{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(path)
        Registration.objects.all().delete()  # the same mobile registers again in English

    # The report goes to a file: Node cuts a large answer on a pipe short when it exits.
    report_file = tmp_path / "report.json"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            *command,
            "--config",
            str(ROOT / ".htmlvalidate.cjs"),
            "--formatter",
            f"json={report_file}",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert report_file.exists(), result.stderr
    report = json.loads(report_file.read_text() or "[]")
    problems = [
        f"{Path(item['filePath']).name}:{message['line']}:{message['column']} "
        f"{message['ruleId']}: {message['message']}"
        for item in report
        for message in item["messages"]
    ]
    assert problems == [], "\n".join(problems)
    assert result.returncode == 0, result.stderr
    assert len(files) == 2 * 16
