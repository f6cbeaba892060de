"""The default Wagtail Site follows PUBLIC_BASE_URL, so the page URLs Wagtail builds answer."""

import io

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from wagtail.models import Site

import pytest

from home.sites import sync_default_site


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("base_url", "host", "port", "root_url"),
    [
        ("https://nehzat.example", "nehzat.example", 443, "https://nehzat.example"),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://Nehzat.Example/", "nehzat.example", 80, "http://nehzat.example"),
    ],
)
def test_the_default_site_takes_host_and_port_from_public_base_url(
    home_page, base_url, host, port, root_url
):
    site, changed = sync_default_site(base_url)
    site = Site.objects.get(pk=site.pk)
    assert (site.hostname, site.port, site.root_url) == (host, port, root_url)
    assert changed is True
    assert sync_default_site(base_url)[1] is False  # safe to repeat


@pytest.mark.parametrize("base_url", ["nehzat.example", "ftp://nehzat.example", "https://"])
def test_an_address_that_is_no_site_is_refused_and_nothing_changes(home_page, base_url):
    before = Site.objects.values_list("hostname", "port").get(is_default_site=True)
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL"):
        sync_default_site(base_url)
    assert Site.objects.values_list("hostname", "port").get(is_default_site=True) == before


def test_the_command_says_where_the_site_answers(home_page, settings):
    settings.PUBLIC_BASE_URL = "https://nehzat.example"
    out = io.StringIO()
    call_command("sync_site", stdout=out)
    assert "nehzat.example:443 (https://nehzat.example)" in out.getvalue()


def test_the_demo_content_leaves_the_site_at_public_base_url(home_page):
    # load_demo_content ran for the test session with PUBLIC_BASE_URL=http://testserver.
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://testserver"
