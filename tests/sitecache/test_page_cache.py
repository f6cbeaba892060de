"""The full-page cache: anonymous visitors get stored pages; editors' changes show at once."""

import gzip
import socket

from django.contrib.auth import get_user_model

from wagtail.models import PageViewRestriction

import pytest

from home.models import SiteSettings


pytestmark = pytest.mark.django_db

HIT = "X-Page-Cache"


def _get(client, url, **extra):
    return client.get(url, **extra)


def test_a_second_anonymous_visit_is_served_from_the_cache(client, demo):
    first = _get(client, "/nehzat/")
    second = _get(client, "/nehzat/")
    assert first[HIT] == "miss"
    assert second[HIT] == "hit"
    assert second.content == first.content


def test_the_home_page_is_cached_too(client, demo):
    _get(client, "/")
    assert _get(client, "/")[HIT] == "hit"


def test_a_cached_page_keeps_its_security_headers(client, demo):
    _get(client, "/nehzat/")
    cached = _get(client, "/nehzat/")
    assert cached[HIT] == "hit"
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Content-Type-Options"] == "nosniff"
    assert cached["Content-Language"] == "fa"


def test_the_campaign_page_carries_no_per_visitor_token(client, demo):
    response = _get(client, "/nehzat/")
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies


def test_publishing_a_change_shows_it_to_the_next_visitor(client, demo):
    _get(client, "/nehzat/")
    demo.title = "عنوان تازه"
    demo.save_revision().publish()
    response = _get(client, "/nehzat/")
    assert response[HIT] == "miss"
    assert "عنوان تازه" in response.content.decode()


def test_publishing_a_campaign_refreshes_the_home_page_that_shows_it(client, demo):
    _get(client, "/")
    demo.body[0].value["title"] = "تیتر تازه برای صفحه اصلی"
    demo.save_revision().publish()
    assert "تیتر تازه برای صفحه اصلی" in _get(client, "/").content.decode()


def test_unpublishing_removes_the_page_from_the_cache(client, demo):
    _get(client, "/nehzat/")
    demo.unpublish()
    assert _get(client, "/nehzat/").status_code == 404


def test_changing_the_site_settings_refreshes_every_page(client, demo, home_page):
    _get(client, "/nehzat/")
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.footer_text = "پانویس تازه"
    site_settings.save()
    assert "پانویس تازه" in _get(client, "/nehzat/").content.decode()


def test_signed_in_staff_never_get_the_cached_page(client, demo):
    _get(client, "/nehzat/")
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(user)
    response = _get(client, "/nehzat/")
    assert response.status_code == 200
    assert HIT not in response


def test_tracking_parameters_share_the_cached_page(client, demo):
    _get(client, "/nehzat/")
    assert _get(client, "/nehzat/?utm_source=tv&utm_campaign=nehzat")[HIT] == "hit"


def test_other_query_strings_bypass_the_cache(client, demo):
    _get(client, "/nehzat/?page=2")
    response = _get(client, "/nehzat/?page=2")
    assert response.status_code == 200
    assert HIT not in response


def test_a_page_that_shows_a_form_with_a_csrf_token_is_never_cached(client, demo):
    PageViewRestriction.objects.create(
        page=demo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    _get(client, "/nehzat/")
    client.cookies.pop("csrftoken", None)
    second = _get(client, "/nehzat/")
    assert b"csrfmiddlewaretoken" in second.content
    assert HIT not in second


def test_a_cached_page_is_sent_compressed_to_browsers_that_accept_gzip(client, demo):
    plain = _get(client, "/nehzat/")
    compressed = _get(client, "/nehzat/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed[HIT] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content


def test_browsers_may_keep_a_cached_page_for_a_minute(client, demo):
    response = _get(client, "/nehzat/")
    assert "max-age=60" in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


def test_with_a_cdn_configured_it_may_keep_the_page_until_purged(client, demo, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    response = _get(client, "/nehzat/")
    assert "s-maxage=600" in response["Cache-Control"]


def test_publishing_asks_the_cdn_to_purge_every_page(demo, settings, monkeypatch, on_commit):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    purged = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.backends.HTTPBackend.purge",
        lambda self, url: purged.append(url),
    )
    on_commit(lambda: demo.save_revision().publish())
    # The Site follows PUBLIC_BASE_URL (http://testserver in tests): the addresses the CDN serves.
    assert "http://testserver/nehzat/" in purged
    assert "http://testserver/" in purged
    assert "http://testserver/en/nehzat/" in purged


def test_with_the_cache_off_nothing_is_stored(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _get(client, "/nehzat/")
    assert HIT not in _get(client, "/nehzat/")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_pages_are_still_served_when_the_cache_server_is_down(client, demo, settings):
    from config.settings.base import _cache_config

    settings.CACHES = {
        **settings.CACHES,
        "pages": _cache_config(f"redis://127.0.0.1:{_closed_port()}/0", "pages"),
    }
    for _ in range(2):
        response = _get(client, "/nehzat/")
        assert response.status_code == 200
        assert demo.title in response.content.decode()


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, demo):
    _get(client, "/nehzat/")
    assert _get(client, "/nehzat/")[HIT] == "hit"

    PageViewRestriction.objects.create(
        page=demo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = _get(client, "/nehzat/")
    assert HIT not in response
    assert b'name="password"' in response.content
    assert "با هدف تقویت تعاملات اجتماعی" not in response.content.decode()


def test_a_page_made_public_again_is_shown_to_everyone(client, demo):
    restriction = PageViewRestriction.objects.create(
        page=demo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    _get(client, "/nehzat/")
    restriction.delete()
    assert "با هدف تقویت تعاملات اجتماعی" in _get(client, "/nehzat/").content.decode()
