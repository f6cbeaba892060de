import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings as django_settings

from wagtail.models import Locale, Site

import pytest

from home.demo_content import load_demo_content


@pytest.fixture(scope="session", autouse=True)
def media_in_tmp(tmp_path_factory):
    """Uploaded files go to a temporary folder for the whole run, never into the checkout."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@dataclass(frozen=True)
class DemoDatabase:
    """A copy of the session's SQLite test database just after the demo was built, with its media."""

    db: Path
    media: Path
    migrated: Path  # the same database before the demo: every migration applied, no content

    def copy_to(self, db: Path, media: Path | None = None) -> None:
        shutil.copyfile(self.db, db)
        if media is not None:
            shutil.copytree(self.media, media)


_demo_database = pytest.StashKey[DemoDatabase | None]()

# The database settings' own name, read before pytest-django swaps in the test database's:
# `_get_test_db_name()` read afterwards prefixes it again on PostgreSQL ("test_test_…").
_CONFIGURED_DATABASE_NAME = django_settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, media_in_tmp, request, tmp_path_factory):
    """Build the demo site once per run; each test's transaction rollback keeps it intact.

    Building it (pages, English translation, video) takes seconds, far too long per test.
    On SQLite the result is copied aside at once (before any transactional test empties the
    database), so the e2e server and the migration check start from it instead of running
    every migration and the demo again in another process (docs/testing.md, "Suite time").
    """
    from django.conf import settings
    from django.db import connection

    request.config.stash[_demo_database] = None
    if connection.settings_dict["NAME"] == _CONFIGURED_DATABASE_NAME:
        return  # no collected test uses the database, so pytest-django created none

    def backup(path: Path) -> None:
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)

    sqlite = connection.vendor == "sqlite"
    folder = tmp_path_factory.mktemp("demo-database")
    snapshot = DemoDatabase(
        db=folder / "db.sqlite3", media=folder / "media", migrated=folder / "migrated.sqlite3"
    )
    with django_db_blocker.unblock():
        if sqlite:
            backup(snapshot.migrated)
        load_demo_content(log=lambda *args: None)
        if sqlite:
            backup(snapshot.db)
            shutil.copytree(settings.MEDIA_ROOT, snapshot.media)
    request.config.stash[_demo_database] = snapshot if sqlite else None


@pytest.fixture(scope="session")
def demo_database(django_db_setup, request) -> DemoDatabase | None:
    """The migrated database with the demo, as a file to copy; None on PostgreSQL, or when no
    collected test uses the database (then its users build their own, as before)."""
    return request.config.stash[_demo_database]


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def bare_site(home_page):
    """The site with no campaigns or content pages: the demo built for the run removed.

    For tests that must control every page that exists (search results, listings).
    """
    from campaigns.models import CampaignPage
    from home.models import ContentPage

    for page in [*CampaignPage.objects.all(), *ContentPage.objects.all()]:
        page.delete()
    home_page.refresh_from_db()
    return home_page


@pytest.fixture
def fa_locale(db):
    return Locale.objects.get(language_code="fa")


@pytest.fixture
def en_locale(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demo campaign in Persian and English, as `make run` builds it.

    Built once per run (django_db_setup); rebuilt here after a transactional test
    emptied the database.
    """
    from campaigns.models import CampaignPage

    campaign = CampaignPage.objects.filter(slug="nehzat", locale__language_code="fa").first()
    if campaign is None:
        # wagtail-localize publishes translations on commit; a test never commits.
        with django_capture_on_commit_callbacks(execute=True):
            load_demo_content(log=lambda *args: None)
        campaign = CampaignPage.objects.get(slug="nehzat", locale__language_code="fa")
    return campaign


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Persian, whatever language the previous test's last request used.

    (A page served from the page cache skips LocaleMiddleware, so it activates nothing.)
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clean_cache():
    """Rate-limit counters, cached pages and renditions: every test starts with none."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def sms_outbox():
    """The in-memory SMS back-end's outbox (what the provider would have been asked to send)."""
    from sms.backends import locmem

    locmem.reset()
    yield locmem.outbox
    locmem.reset()


@pytest.fixture
def quick_forms(settings):
    """Registration forms accept a submit right after they are shown."""
    settings.REGISTRATION_MIN_FILL_SECONDS = 0


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the SMS enqueue) as if each request had committed."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run
