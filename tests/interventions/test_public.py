"""The public pages (fa and /en/): what an intervention is doing, never who is doing it."""

import json
import subprocess
import uuid
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from interventions.choices import Outcome
from interventions.services import records, stages
from tests.tools import ROOT, node_tool

from .support import approved_group, coordinator, facilitator, opened, verified_report
from .test_stages import to_evaluation


pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(demo):
    user = coordinator()
    report = verified_report(title="ناامنی پارک محله")
    person = facilitator(demo, representative_name="نرگس پنهانی", mobile="+989121119999")
    intervention = opened(demo, user=user, reports=[report], facilitator_registration=person)
    records.add_participant(
        intervention,
        registration=approved_group(demo, organisation_name="هیئت جوانان محله"),
        show_name=True,
        user=user,
    )
    records.add_participant(
        intervention,
        registration=approved_group(demo, organisation_name="انجمن بی‌نام"),
        user=user,
    )
    to_evaluation(intervention, user)
    records.add_indicator(intervention, name="سرقت در ماه", before="۱۲", after="3", user=user)
    records.save_evaluation(intervention, outcome=Outcome.RESOLVED, lessons="چراغ کافی نیست")
    return stages.close(intervention, user=user)


def test_the_page_shows_aim_place_problems_stage_progress_and_named_groups(client, demo):
    report = verified_report(title="اعتیاد در پارک")
    intervention = opened(demo, reports=[report])
    records.add_participant(
        intervention,
        registration=approved_group(demo, organisation_name="هیئت انصار"),
        show_name=True,
    )
    records.add_participant(
        intervention, registration=approved_group(demo, organisation_name="گروه پنهان")
    )
    html = client.get(f"/interventions/{intervention.public_id}/").content.decode()
    assert intervention.aim in html and "نازی‌آباد" in html and "تهران" in html
    assert "اعتیاد در پارک" in html and f"/problems/{report.number}/" in html
    assert 'aria-current="step"' in html and "نیازسنجی" in html
    assert "۰%" in html
    assert "هیئت انصار" in html and "گروه پنهان" not in html
    assert "زهرا کریمی" not in html  # the facilitator is a person: never named


def test_a_closed_intervention_shows_its_outcome_in_persian_and_english(client, closed):
    html = client.get(f"/interventions/{closed.public_id}/").content.decode()
    assert "مسئله‌ها حل شد" in html and "سرقت در ماه" in html and "۱۲" in html
    assert "۱۰۰%" in html and "چراغ کافی نیست" in html
    assert "نرگس پنهانی" not in html and "9121119999" not in html and "۹۱۲۱۱۱۹۹۹۹" not in html
    assert "انجمن بی‌نام" not in html
    english = client.get(f"/en/interventions/{closed.public_id}/").content.decode()
    assert "The problems were resolved" in english and "100%" in english
    assert 'lang="en"' in english


def test_the_list_filters_and_keeps_its_queries_fixed(client, demo):
    opened(demo, title="مداخلهٔ تهران")
    opened(demo, title="مداخلهٔ قم", province="qom", reports=[verified_report(province="qom")])
    html = client.get("/interventions/").content.decode()
    assert "مداخلهٔ تهران" in html and "مداخلهٔ قم" in html
    html = client.get("/interventions/", {"province": "qom"}).content.decode()
    assert "مداخلهٔ قم" in html and "مداخلهٔ تهران" not in html
    html = client.get("/interventions/", {"stage": "<script>", "province": "x"}).content.decode()
    assert "<script>" not in html and "مداخلهٔ قم" in html
    with CaptureQueriesContext(connection) as few:
        client.get("/interventions/")
    for index in range(5):
        opened(demo, title=f"بیشتر {index}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/interventions/").status_code == 200
    assert len(many) == len(few)


def test_unknown_ids_are_404(client):
    assert client.get(f"/interventions/{uuid.uuid4()}/").status_code == 404
    assert client.get("/interventions/1/").status_code == 404


def test_the_pages_are_valid_html(client, closed, demo, tmp_path):
    files = []
    opened(demo, title="در جریان")
    for prefix in ("", "/en"):
        for name, url in (
            ("list", "/interventions/"),
            ("empty", "/interventions/?province=ilam"),
            ("closed", f"/interventions/{closed.public_id}/"),
        ):
            response = client.get(prefix + url)
            assert response.status_code == 200
            path = tmp_path / f"{prefix.strip('/') or 'fa'}-{name}.html"
            path.write_text(response.content.decode(), encoding="utf-8")
            files.append(path)
    assert_valid_html(files, tmp_path)


def assert_valid_html(files, tmp_path) -> None:
    """html-validate (npm, pinned) with the site's rules finds nothing in these pages."""
    command = node_tool("html-validate")
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
    problems = [
        f"{Path(item['filePath']).name}:{message['line']}:{message['column']} "
        f"{message['ruleId']}: {message['message']}"
        for item in json.loads(report_file.read_text() or "[]")
        for message in item["messages"]
    ]
    assert problems == [], "\n".join(problems)


def test_a_reports_page_links_the_interventions_addressing_it_in_its_language(client, demo):
    report = verified_report(title="اعتیاد در پارک")
    untouched = verified_report(title="کودکان کار در بازار")
    intervention = opened(demo, reports=[report])
    persian = client.get(f"/problems/{report.number}/").content.decode()
    assert "مداخله‌هایی که به آن می‌پردازند" in persian
    assert f'href="/interventions/{intervention.public_id}/"' in persian
    assert intervention.title in persian
    english = client.get(f"/en/problems/{report.number}/").content.decode()
    assert f'href="/en/interventions/{intervention.public_id}/"' in english
    other = client.get(f"/problems/{untouched.number}/").content.decode()
    assert "مداخله‌هایی که به آن می‌پردازند" not in other and intervention.title not in other
