"""The cached site, settings and privacy look-ups (sitecache/lookups.py) are shared by every web process.

gunicorn's two workers keep nothing in their own memory: a change made by another process
(here `manage.py shell`, as the admin would) clears the entries in the real Redis, and the
next request in either worker sees it.
"""

import pytest
import requests

from . import stack


pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_state"),
]

CAMPAIGN_TEXT = "با هدف تقویت تعاملات اجتماعی"


def _views(web, count: int = 12) -> list[requests.Response]:
    # A query string bypasses the page cache, so Wagtail routes and checks every request;
    # a fresh connection each time spreads them over both workers.
    return [requests.get(f"{web}/nehzat/?view={n}", timeout=30) for n in range(count)]


def _shell(live_env, code: str) -> None:
    stack.manage(live_env, "shell", "-c", code)


def test_a_page_made_private_elsewhere_is_private_in_every_worker_at_once(web, live_env):
    assert all(CAMPAIGN_TEXT in r.text for r in _views(web))  # every worker has the look-ups

    _shell(
        live_env,
        "from wagtail.models import Page, PageViewRestriction\n"
        "page = Page.objects.get(slug='nehzat', locale__language_code='fa')\n"
        "PageViewRestriction.objects.create(page=page, restriction_type='password',"
        " password='secret')",
    )
    private = _views(web)
    assert all(r.status_code == 200 for r in private)
    assert all('name="password"' in r.text and CAMPAIGN_TEXT not in r.text for r in private)

    _shell(
        live_env,
        "from wagtail.models import PageViewRestriction\n"
        "PageViewRestriction.objects.all().delete()",
    )
    assert all(CAMPAIGN_TEXT in r.text for r in _views(web))


def test_edited_footer_text_shows_in_every_worker_at_once(web, live_env):
    assert all("پانویس آزمون" not in r.text for r in _views(web))

    _shell(
        live_env,
        "from wagtail.models import Site\n"
        "from home.models import SiteSettings\n"
        "s = SiteSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))[0]\n"
        "s.footer_text = 'پانویس آزمون'\n"
        "s.save()",
    )
    try:
        assert all("پانویس آزمون" in r.text for r in _views(web))
    finally:
        _shell(
            live_env,
            "from home.models import SiteSettings\n"
            "s = SiteSettings.objects.get(site__is_default_site=True)\n"
            "s.footer_text = ''\n"
            "s.save()",
        )
