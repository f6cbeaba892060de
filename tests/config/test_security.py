"""Hardening: deploy checks, CSP, admin lockout, webhook secrets, upload limits."""

import io
import os
import subprocess
import sys
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage


pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "nehzat.example.ir",
    "DATABASE_URL": "postgres://nehzat@127.0.0.1:5432/nehzat",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "PUBLIC_BASE_URL": "https://nehzat.example.ir",
    "SMS_WEBHOOK_SECRET": "a-long-random-webhook-secret",
}


def test_the_deploy_check_is_clean_with_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes, on* handlers."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self._in_script = True
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag}[{name}]" for name in names if name == "style"]
        self.found += [f"{tag}[{name}]" for name in names if name.startswith("on")]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


@pytest.mark.parametrize(
    "url",
    ["/", "/nehzat/", "/en/nehzat/", "/nehzat/register/", "/nehzat/status/", "/search/?q=نهضت"],
)
def test_public_pages_run_no_inline_code_and_send_a_strict_policy(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == []


def test_public_pages_send_the_other_security_headers(client, demo):
    response = client.get("/nehzat/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "right-pw")


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/{id}/edit/", "/admin/images/"])
def test_the_admin_still_works_under_its_own_policy(client, demo, admin_user, path):
    client.force_login(admin_user)
    response = client.get(path.format(id=demo.pk))
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def _login(client, password, ip="10.0.0.5"):
    return client.post(
        "/admin/login/",
        {"username": "boss", "password": password},
        REMOTE_ADDR=ip,
    )


def test_a_few_wrong_passwords_still_allow_signing_in(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, "right-pw").status_code == 302


def test_too_many_wrong_passwords_lock_the_login_with_a_persian_message(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    locked = _login(client, "right-pw")
    assert locked.status_code == 429
    assert "ورود" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_out_account_stays_locked_from_another_address(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", ip="10.0.0.5")
    assert _login(client, "right-pw", ip="10.9.9.9").status_code == 429


def test_webhook_secrets_are_compared_in_constant_time(client, monkeypatch):
    import hmac

    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    response = client.post("/sms/kavenegar/inbound/not-the-secret/", {"from": "09123456789"})
    assert response.status_code == 403
    assert compared == [(b"not-the-secret", settings.SMS_WEBHOOK_SECRET.encode())]


def _png(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def _upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {"title": "تصویر", "file": SimpleUploadedFile(name, content), "collection": "1"},
    )


def test_an_image_of_an_unlisted_type_is_refused(client, admin_user):
    client.force_login(admin_user)
    before = get_image_model().objects.count()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = _upload_image(client, "x.svg", svg)
    assert response.status_code == 200
    assert get_image_model().objects.count() == before


def test_an_oversized_image_is_refused(client, admin_user, settings):
    client.force_login(admin_user)
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    before = get_image_model().objects.count()
    response = _upload_image(client, "big.png", _png((200, 200)))
    assert response.status_code == 200
    assert get_image_model().objects.count() == before


def test_a_document_of_an_unlisted_type_is_refused(client, admin_user):
    client.force_login(admin_user)
    before = get_document_model().objects.count()
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "سند",
            "file": SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
            "collection": "1",
        },
    )
    assert response.status_code == 200
    assert get_document_model().objects.count() == before
