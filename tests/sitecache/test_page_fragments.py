"""Requests the page cache cannot serve reuse the rendered campaign body, never a stale one.

Signed-in staff and URLs with a query string bypass the full-page cache; the campaign's
body, the footer and the language links then come from fragments that every publish
retires (see `sitecache.pagecache.fragment_key`).
"""

import copy

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from home.models import SiteSettings


pytestmark = pytest.mark.django_db

BYPASS = "/nehzat/?from=sms"  # any query string but tracking parameters skips the page cache
# Wagtail's routing: the site, the locale, three page lookups, aliases, view restrictions.
ROUTING_QUERIES = 7


def _with_first_goal_text(page, text):
    body = copy.deepcopy(list(page.body.raw_data))
    for block in body:
        if block["type"] == "goals":
            block["value"]["goals"][0]["value"]["text"] = text
    page.body = body
    return page


def test_a_bypassing_request_reuses_the_rendered_body_and_costs_only_routing(client, demo):
    first = client.get(BYPASS)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(BYPASS)
    assert again.status_code == 200
    assert again.content == first.content
    assert 'class="card goal"' in again.content.decode()
    assert len(queries) <= ROUTING_QUERIES, [q["sql"] for q in queries]


def test_the_reused_body_is_what_a_full_render_shows(client, demo, settings):
    client.get(BYPASS)
    reused = client.get(BYPASS).content
    settings.PAGE_CACHE_SECONDS = 0  # no page cache, no fragments
    assert client.get(BYPASS).content == reused


def test_signed_in_staff_see_a_published_goal_at_once(client, demo):
    staff = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    client.force_login(staff)
    assert "متن تازه هدف نخست" not in client.get("/nehzat/").content.decode()

    _with_first_goal_text(demo, "متن تازه هدف نخست").save_revision().publish()

    assert "متن تازه هدف نخست" in client.get("/nehzat/").content.decode()


def test_the_home_page_shows_the_new_goal_too(client, demo):
    client.get("/?from=sms")
    _with_first_goal_text(demo, "متن تازه هدف نخست").save_revision().publish()
    assert "متن تازه هدف نخست" in client.get("/?from=sms").content.decode()


def test_a_preview_shows_the_draft_not_the_stored_body(client, demo):
    client.get(BYPASS)  # the live body is stored as a fragment

    draft = _with_first_goal_text(demo, "پیش‌نویس هدف نخست")
    preview = draft.make_preview_request().content.decode()

    assert "پیش‌نویس هدف نخست" in preview
    assert "پیش‌نویس هدف نخست" not in client.get(BYPASS).content.decode()


def test_each_language_keeps_its_own_body_and_links(client, demo):
    persian = client.get(BYPASS).content.decode()
    english = client.get("/en/nehzat/?from=sms").content.decode()
    assert 'dir="rtl"' in persian and 'dir="ltr"' in english
    assert "با هدف تقویت تعاملات اجتماعی" in persian
    assert "To strengthen social interaction" in english
    assert "با هدف تقویت تعاملات اجتماعی" not in english
    assert 'hreflang="en"' in persian and 'hreflang="fa"' in english
    assert client.get(BYPASS).content.decode() == persian


def test_a_new_footer_shows_on_bypassing_requests(client, demo, home_page):
    client.get(BYPASS)
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.footer_text = "پانویس تازه"
    site_settings.save()
    assert "پانویس تازه" in client.get(BYPASS).content.decode()
