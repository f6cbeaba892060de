"""The staff map: filters of the listing applied, every count shown, staff only."""

import pytest

from registrations.choices import Status
from tests.backoffice import *  # noqa: F403


pytestmark = pytest.mark.django_db
URL = "/admin/atlas/"


def test_staff_see_every_count_unsuppressed(manager_client, register):
    register(3, province="ilam")
    register(2, province="ilam", status=Status.CONFIRMED)
    html = manager_client.get(URL).content.decode()
    assert "ایلام: ۵" in html  # all statuses, under 5 per status but shown
    assert "کمتر از ۵" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_listing_filters_apply(manager_client, register):
    register(3, province="ilam")
    register(2, province="ilam", status=Status.CONFIRMED)
    html = manager_client.get(URL, {"status": "confirmed"}).content.decode()
    assert "ایلام: ۲" in html


def test_sign_ups_per_day_per_province(manager_client, register):
    register(4, province="yazd")
    html = manager_client.get(URL).content.decode()
    assert 'data-figures="per-day-province"' in html
    row = html.split('<th scope="row">یزد</th>', 1)[1].split("</tr>", 1)[0]
    assert row.startswith("<td>۴</td>") and row.endswith("<td>۴</td>")  # total, and today


def test_bad_filter_input_is_ignored_not_a_500(manager_client):
    assert manager_client.get(
        URL, {"created_from": "not a date", "status": "\u0000"}
    ).status_code in (200, 400)


def test_editors_and_strangers_cannot_see_it(editor_client, client):
    assert editor_client.get(URL).status_code in (302, 403)
    assert client.get(URL).status_code == 302


def test_staff_only_figures_never_reach_public_pages(client, register):
    register(3, province="ilam")
    for url in ("/atlas/", "/en/atlas/", "/atlas/province/ilam/"):
        html = client.get(url).content.decode()
        assert "ایلام: ۳" not in html and "Ilam: 3" not in html


DASHBOARD = "/admin/"


def _panel(html: str) -> str:
    return html.split("data-atlas-panel", 1)[1].split("</section>", 1)[0]


def test_the_dashboard_embeds_the_staff_map_unsuppressed(manager_client, register):
    register(3, province="ilam")
    register(2, province="ilam", status=Status.CONFIRMED)
    html = manager_client.get(DASHBOARD).content.decode()
    panel = _panel(html)
    assert panel.count('class="atlas-map__province"') == 31
    assert "ایلام: ۵" in panel  # every status, no "fewer than 5"
    assert 'data-figures="per-day-province"' in panel
    assert 'href="/admin/atlas/"' in panel


def test_the_dashboard_map_applies_the_listing_filters(manager_client, register):
    register(3, province="ilam")
    register(2, province="ilam", status=Status.CONFIRMED)
    panel = _panel(manager_client.get(DASHBOARD, {"status": "confirmed"}).content.decode())
    assert "ایلام: ۲" in panel and "<details open>" in panel
    assert 'href="/admin/atlas/?status=confirmed"' in panel
    # Bad filter input: the dashboard still answers, with the map unfiltered.
    response = manager_client.get(DASHBOARD, {"created_from": "x", "status": "\u0000"})
    assert response.status_code in (200, 400)


def test_the_dashboard_panel_is_for_registration_staff_only(editor_client, register):
    register(6, province="ilam")
    response = editor_client.get(DASHBOARD)
    assert response.status_code == 200
    assert "data-atlas-panel" not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_the_dashboard_panel_costs_the_same_queries_whatever_the_table(
    rf, manager, register, django_assert_num_queries, extra
):
    from atlas.staff import StaffMapPanel

    register(1 + extra, province="fars")
    request = rf.get("/admin/")
    request.user = manager
    manager.has_perm("registrations.view_registration")  # permissions cached, as in a request
    # The summary rows, sign-ups per day per province, the filter form's campaigns, and
    # Wagtail's locales (cached by a warm dashboard request: 3 there).
    with django_assert_num_queries(4):
        html = StaffMapPanel(request).render_html()
    assert "فارس: " in html
