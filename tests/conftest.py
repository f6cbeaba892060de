from wagtail.models import Locale, Site

import pytest

from campaigns.demo_content import load_demo_content


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def fa_locale(db):
    return Locale.objects.get(language_code="fa")


@pytest.fixture
def en_locale(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demo campaign in Persian and English, as `make run` builds it."""
    # wagtail-localize publishes translations on commit; a test never commits.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_content(log=lambda *args: None)
    from campaigns.models import CampaignPage

    return CampaignPage.objects.get(slug="nehzat", locale__language_code="fa")
