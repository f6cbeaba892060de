"""A facilitator signed in like a group records its own interventions' stages, never others'."""

from django.test import Client

import pytest

from interventions.choices import Stage
from interventions.models import Need
from tests.accounts.conftest import last_code

from .support import facilitator, opened, staff


pytestmark = pytest.mark.django_db


def signed_in(mobile) -> Client:
    client = Client()
    client.post("/account/", {"mobile": mobile})
    client.post("/account/code/", {"code": last_code(mobile)})
    assert "_auth_user_id" in client.session
    return client


@pytest.fixture
def mine_and_other(demo):
    person = facilitator(demo, mobile="+989121110077")
    mine = opened(demo, facilitator_registration=person)
    other = opened(demo, facilitator_registration=facilitator(demo))
    return person, mine, other


def test_the_facilitator_records_and_advances_its_intervention(mine_and_other):
    person, mine, other = mine_and_other
    client = signed_in(str(person.mobile))
    html = client.get("/interventions/manage/").content.decode()
    assert mine.title in html and str(mine.public_id) in html and str(other.public_id) not in html
    page = f"/interventions/manage/{mine.public_id}/"
    assert "یافته" in client.get(page).content.decode()
    html = client.post(f"{page}advance/", follow=True).content.decode()
    assert "یافته‌های نیازسنجی" in html  # the entry rule, in Persian
    client.post(f"{page}record/findings/", {"findings": "اهالی نگران امنیت پارک‌اند"})
    client.post(f"{page}record/consultation/", {"kind": "youth", "count": "۴۰"})
    client.post(f"{page}advance/")
    mine.refresh_from_db()
    assert mine.stage == Stage.PRIORITISATION
    client.post(f"{page}record/need/", {"title": "روشنایی"})
    assert Need.objects.get().title == "روشنایی"


def test_another_intervention_is_404_for_the_facilitator(mine_and_other):
    person, mine, other = mine_and_other
    client = signed_in(str(person.mobile))
    page = f"/interventions/manage/{other.public_id}/"
    assert client.get(page).status_code == 404
    assert client.post(f"{page}record/findings/", {"findings": "x"}).status_code == 404
    assert client.post(f"{page}advance/").status_code == 404
    other.refresh_from_db()
    assert not other.needs_assessment.findings and other.stage == Stage.NEEDS_ASSESSMENT


def test_signed_out_visitors_are_sent_to_sign_in_and_see_nothing(client, mine_and_other):
    _person, mine, _other = mine_and_other
    assert client.get("/interventions/manage/").url.endswith("/account/")
    assert client.get(f"/interventions/manage/{mine.public_id}/").status_code == 404
    assert client.post(f"/interventions/manage/{mine.public_id}/advance/").status_code == 404


def test_a_staff_facilitator_manages_its_own(client, demo):
    user = staff()
    mine = opened(demo, facilitator_user=user)
    other = opened(demo)
    client.force_login(user)
    assert client.get(f"/interventions/manage/{mine.public_id}/").status_code == 200
    assert client.get(f"/interventions/manage/{other.public_id}/").status_code == 404


def test_the_facilitators_stage_pages_are_valid_html(demo, tmp_path):
    from interventions.services import records
    from tests.interventions.test_public import assert_valid_html
    from tests.interventions.test_stages import to_implementation

    from .support import coordinator

    person = facilitator(demo, mobile="+989121110066")
    intervention = opened(demo, facilitator_registration=person)
    client = signed_in(str(person.mobile))
    files = []

    def keep(name):
        response = client.get(f"/interventions/manage/{intervention.public_id}/")
        assert response.status_code == 200
        path = tmp_path / f"manage-{name}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        files.append(path)

    keep("needs")
    user = coordinator()
    activity = to_implementation(intervention, user)
    records.add_progress(activity, text="انجام شد", happened_on=activity.starts_on, user=user)
    keep("implementation")
    assert_valid_html(files, tmp_path)


def test_an_oversized_upload_is_refused_before_it_is_read(mine_and_other):
    person, mine, _other = mine_and_other
    client = signed_in(str(person.mobile))
    response = client.post(
        f"/interventions/manage/{mine.public_id}/record/findings/",
        {"findings": "x"},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    mine.refresh_from_db()
    assert not mine.needs_assessment.findings
