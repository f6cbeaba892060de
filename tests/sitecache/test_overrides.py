"""Every override of a library internal, pinned to the version it was read against.

When one of these fails after an upgrade, re-read the overridden code in the new release
(the docstring named in `where` says what it replaces and why), adapt, then move the pin.
"""

import datetime
import decimal
import inspect
import uuid
from importlib.metadata import version

from django.core.cache import cache

import pytest
from django_otp.middleware import OTPMiddleware
from kombu.transport import redis as kombu_redis

from sitecache import lookups


OVERRIDES = [
    (
        "wagtail",
        "8.0.1",
        "sitecache/lookups.py install(): Site._find_for_request, "
        "LocaleManager.get_for_language; ViewRestrictionsFromCache: Page.get_view_restrictions",
    ),
    ("kombu", "5.7.0", "config/broker.py: redis.Channel._create_client"),
    ("django-otp", "1.7.5", "twofactor/middleware.py: OTPMiddleware._verify_user_sync"),
]


@pytest.mark.parametrize(("distribution", "read_against", "where"), OVERRIDES)
def test_each_override_was_read_against_the_installed_release(distribution, read_against, where):
    assert version(distribution) == read_against, (
        f"{distribution} is now {version(distribution)}: re-read {where} against it, "
        "then update the pin here"
    )


def test_the_overridden_methods_still_take_what_the_overrides_pass():
    from wagtail.models import Page
    from wagtail.models.i18n import LocaleManager

    assert list(inspect.signature(lookups._wagtail_find_site).parameters) == ["request"]
    assert list(inspect.signature(LocaleManager.get_for_language).parameters) == [
        "self",
        "language_code",
    ]
    assert list(inspect.signature(Page.get_view_restrictions).parameters) == ["self"]
    assert list(inspect.signature(kombu_redis.Channel._create_client).parameters) == [
        "self",
        "asynchronous",
    ]
    assert list(inspect.signature(OTPMiddleware._verify_user_sync).parameters) == [
        "self",
        "request",
        "user",
    ]


PLAIN = (str, int, float, bool, type(None), datetime.datetime, datetime.date, decimal.Decimal)
PLAIN += (uuid.UUID,)


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    return isinstance(value, PLAIN)


def test_cached_look_ups_hold_plain_data_under_versioned_keys(client, demo):
    response = client.get("/nehzat/")
    assert response.status_code == 200

    for key in (lookups.SITES_KEY, lookups.SETTINGS_KEY, lookups.LOCALES_KEY):
        assert f":v{lookups.VERSION}:" in key
        entry = cache.get(key)
        assert entry, key
        assert _plain(entry), (key, entry)


def test_an_entry_written_by_code_with_other_fields_is_not_read(client, demo):
    from wagtail.models import Site

    client.get("/nehzat/")
    sites = cache.get(lookups.SITES_KEY)
    host, entry = next(iter(sites.items()))
    label, names, values = entry["site"]
    # As a deploy that added a field to Site would have written it.
    stale = {**entry, "site": (label, (*names, "new_field"), (*values, "x"))}
    cache.set(lookups.SITES_KEY, {host: stale})

    response = client.get("/nehzat/?uncached=1")  # past the page cache, into routing

    assert response.status_code == 200
    fresh = cache.get(lookups.SITES_KEY)[host]
    assert fresh["site"][1] == tuple(f.attname for f in Site._meta.concrete_fields)
