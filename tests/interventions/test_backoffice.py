"""The "Interventions" back office: coordinators only; a report taken to a closed intervention."""

from wagtail.models import ModelLogEntry

import pytest

from interventions.choices import Stage
from interventions.models import Activity, Intervention, Need, Objective
from interventions.services import rules
from problems.choices import ReportStatus
from tests.backoffice import editor, manager  # noqa: F401 - fixtures
from tests.problems.support import jpeg_with_gps

from .support import coordinator, facilitator, opened, verified_report


pytestmark = pytest.mark.django_db

BASE = "/admin/interventions/"


@pytest.fixture
def coordinator_client(client):
    client.force_login(coordinator())
    return client


@pytest.mark.parametrize("who", ["editor", "manager"])
def test_editors_and_registration_managers_get_403(client, request, demo, who):
    intervention = opened(demo)
    client.force_login(request.getfixturevalue(who))
    for url in (BASE, f"{BASE}inspect/{intervention.pk}/", f"{BASE}open/"):
        assert client.get(url).status_code == 403, url
    for url in (
        f"{BASE}advance/{intervention.pk}/",
        f"{BASE}record/{intervention.pk}/findings/",
        f"{BASE}open/",
    ):
        assert client.post(url, {"findings": "x"}).status_code == 403, url
    intervention.refresh_from_db()
    assert intervention.stage == Stage.NEEDS_ASSESSMENT
    assert not intervention.needs_assessment.findings


def test_the_list_shows_interventions_in_few_queries(
    coordinator_client, demo, django_assert_max_num_queries
):
    for title in ("مداخلهٔ یکم", "مداخلهٔ دوم", "مداخلهٔ سوم"):
        opened(demo, title=title)
    with django_assert_max_num_queries(25):
        html = coordinator_client.get(BASE).content.decode()
    assert "مداخلهٔ یکم" in html and "مداخلهٔ سوم" in html
    assert "/admin/interventions/open/" in html


def test_open_from_a_verified_report_prefills_and_refuses_bad_input(coordinator_client, demo):
    report = verified_report()
    html = coordinator_client.get(f"{BASE}open/", {"report": report.pk}).content.decode()
    assert report.title in html and "checked" in html
    person = facilitator(demo)
    data = {
        "reports": [report.pk],
        "title": "روشنایی پارک نازی‌آباد",
        "aim": "امن کردن پارک با مشارکت اهالی",
        "province": "tehran",
        "city": "تهران",
        "start_date": "۱۴۰۵/۰۹/۱۳",
        "facilitator_registration": person.tracking_code,
    }
    bad = coordinator_client.post(f"{BASE}open/", {**data, "start_date": "۱۴۰۵/۱۳/۴۰"})
    assert bad.status_code == 400 and "شمسی" in bad.content.decode()
    bad = coordinator_client.post(f"{BASE}open/", {**data, "facilitator_registration": ""})
    assert bad.status_code == 400 and "تسهیلگر" in bad.content.decode()
    assert not Intervention.objects.exists()
    response = coordinator_client.post(f"{BASE}open/", data)
    intervention = Intervention.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"inspect/{intervention.pk}/")
    assert intervention.start_date.isoformat() == "2026-12-04"
    assert intervention.facilitator_registration == person
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_INTERVENTION


def post(client, intervention, name, data=None, **kwargs):
    response = client.post(f"{BASE}record/{intervention.pk}/{name}/", data or {}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def step(client, intervention, action="advance"):
    return client.post(f"{BASE}{action}/{intervention.pk}/", follow=True).content.decode()


def test_a_coordinator_records_every_stage_and_closes(coordinator_client, demo):
    report = verified_report()
    intervention = opened(demo, reports=[report])
    inspect = f"{BASE}inspect/{intervention.pk}/"
    assert "یافته" in step(coordinator_client, intervention)  # refused: no findings yet
    post(coordinator_client, intervention, "findings", {"findings": "پارک شب‌ها تاریک است"})
    post(coordinator_client, intervention, "consultation", {"kind": "women", "count": "۲۵"})
    step(coordinator_client, intervention)
    post(coordinator_client, intervention, "need", {"title": "روشنایی"})
    need = Need.objects.get()
    post(coordinator_client, intervention, "decide", {f"need_{need.pk}": "۱"})
    step(coordinator_client, intervention)
    post(coordinator_client, intervention, "objective", {"title": "پارک امن"})
    html = post(
        coordinator_client,
        intervention,
        "activity",
        {
            "objective": Objective.objects.get().pk,
            "title": "نصب چراغ",
            "starts_on": "1405/09/13",
            "ends_on": "1405/09/01",
        },
    )
    assert "پایان" in html and not Activity.objects.exists()
    post(
        coordinator_client,
        intervention,
        "activity",
        {
            "objective": Objective.objects.get().pk,
            "title": "نصب چراغ",
            "starts_on": "1405/09/13",
            "ends_on": "1405/10/01",
            "resources_needed": ["volunteers", "funding"],
        },
    )
    step(coordinator_client, intervention)
    activity = Activity.objects.get()
    post(
        coordinator_client,
        intervention,
        "progress",
        {"activity": activity.pk, "text": "ده چراغ نصب شد", "happened_on": "۱۴۰۵/۰۹/۱۳"},
    )
    coordinator_client.post(
        f"{BASE}record/{intervention.pk}/progress/",
        {
            "activity": activity.pk,
            "text": "عکس",
            "happened_on": "1405/09/13",
            "photos": jpeg_with_gps(),
        },
    )
    post(coordinator_client, intervention, "done", {"activity": activity.pk, "done": "on"})
    assert "۱۰۰" in coordinator_client.get(inspect).content.decode()
    step(coordinator_client, intervention)
    post(
        coordinator_client,
        intervention,
        "indicator",
        {"name": "سرقت", "before": "۱۲", "after": "۳"},
    )
    assert "نتیجه" in step(coordinator_client, intervention, "close")
    post(coordinator_client, intervention, "evaluation", {"outcome": "resolved", "lessons": "درس"})
    step(coordinator_client, intervention, "close")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.CLOSED
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert activity.updates.count() == 2 and activity.updates.first().photos.count() == 1
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(intervention.pk)).values_list(
            "action", flat=True
        )
    )
    assert {rules.OPEN, rules.ADVANCE, rules.RECORD, rules.CLOSE} <= actions
    html = coordinator_client.get(inspect).content.decode()
    assert "نصب چراغ" in html and "سرقت" in html and "۱۲" in html


def test_reopen_needs_a_reason_and_is_logged(coordinator_client, demo):
    intervention = opened(demo)
    post(coordinator_client, intervention, "findings", {"findings": "یافته‌ها"})
    step(coordinator_client, intervention)
    url = f"{BASE}reopen/{intervention.pk}/"
    html = coordinator_client.post(
        url, {"stage": Stage.NEEDS_ASSESSMENT, "reason": ""}, follow=True
    ).content.decode()
    assert "دلیل" in html
    coordinator_client.post(url, {"stage": Stage.NEEDS_ASSESSMENT, "reason": "اهالی دیگری آمدند"})
    intervention.refresh_from_db()
    assert intervention.stage == Stage.NEEDS_ASSESSMENT
    assert ModelLogEntry.objects.filter(action=rules.REOPEN, object_id=str(intervention.pk))


def test_a_form_of_another_stage_is_refused(coordinator_client, demo):
    intervention = opened(demo)
    html = post(coordinator_client, intervention, "need", {"title": "روشنایی"})
    assert "مرحله" in html and not Need.objects.exists()
    assert "ناشناخته" in post(coordinator_client, intervention, "nonsense")


def test_a_verified_reports_page_links_to_opening_an_intervention(coordinator_client, demo):
    from django.contrib.auth.models import Group

    user = coordinator()
    user.groups.add(Group.objects.get(name="Problem moderators"))
    coordinator_client.force_login(user)
    report = verified_report()
    html = coordinator_client.get(f"/admin/problems/reports/inspect/{report.pk}/").content.decode()
    assert f"/admin/interventions/open/?report={report.pk}" in html
