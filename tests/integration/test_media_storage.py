"""Uploads in an S3-compatible bucket: a real S3 server (moto's server mode) started here.

Images, documents and videos are uploaded through the admin as an editor would; their
renditions, transcodes and posters must land in the bucket, every URL a page or the API
gives must answer, a private document must be refused without permission and given only as
a signed, short-lived URL with it, and nothing may be written to MEDIA_ROOT.
"""

import io
import json
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtailmedia.models import get_media_model

import boto3
import pytest
import requests

from tests.factories import CampaignPageFactory, hero_value
from tests.videos.support import make_video
from videos.models import VideoProcessing

from .stack import free_port, port_open


pytestmark = pytest.mark.django_db
BUCKET = "nehzat-media"
BASE = Path(__file__).resolve().parents[2]
PUBLIC_PREFIXES = [
    "original_images",
    "images",
    "media",
    "media_thumbnails",
    "video_renditions",
    "video_posters",
]
PUBLIC_READ_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::{BUCKET}/{prefix}/*" for prefix in PUBLIC_PREFIXES],
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free port, with an empty bucket; stopped after the module."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if port_open(port):
                break
            time.sleep(0.1)
        else:
            pytest.fail("moto's S3 server did not start")
        endpoint = f"http://127.0.0.1:{port}"
        client = _client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        # The policy docs/media.md gives: everything public but documents/.
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ_POLICY))
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )


def s3_environment(endpoint) -> dict[str, str]:
    return {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_ACCESS_KEY_ID": "test-key",
        "MEDIA_S3_SECRET_ACCESS_KEY": "test-secret",
        "MEDIA_S3_REGION": "us-east-1",
    }


def settings_with(environment: dict[str, str]) -> dict:
    """The settings base.py makes from this environment (run as deployed, not patched)."""
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        return runpy.run_path(str(BASE / "config/settings/base.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    """MEDIA_STORAGE=s3 for this test, the bucket emptied, MEDIA_ROOT an empty folder."""
    made = settings_with(s3_environment(s3_endpoint))
    client = _client(s3_endpoint)
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    settings.STORAGES = {**settings.STORAGES, "default": made["STORAGES"]["default"]}
    settings.WAGTAILDOCS_SERVE_METHOD = made["WAGTAILDOCS_SERVE_METHOD"]
    settings.CONTENT_SECURITY_POLICY = made["CONTENT_SECURITY_POLICY"]
    settings.MEDIA_ROOT = str(tmp_path / "media-root")
    settings.PAGE_CACHE_SECONDS = 0
    Path(settings.MEDIA_ROOT).mkdir()

    class Bucket:
        endpoint = s3_endpoint

        @staticmethod
        def object_keys() -> list[str]:
            return [i["Key"] for i in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

        @staticmethod
        def local_files() -> list[Path]:
            return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]

    yield Bucket
    assert Bucket.local_files() == [], "nothing may be written to MEDIA_ROOT"


@pytest.fixture
def editor(client):
    user = User.objects.create_user("sara", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (0, 125, 126)).save(out, "PNG")
    return out.getvalue()


def _answers(url: str) -> requests.Response:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response


def test_the_environment_chooses_the_bucket(s3_endpoint):
    made = settings_with(s3_environment(s3_endpoint))
    assert made["STORAGES"]["default"]["BACKEND"] == "config.storage.MediaS3Storage"
    assert made["STORAGES"]["default"]["OPTIONS"]["file_overwrite"] is False
    assert made["WAGTAILDOCS_SERVE_METHOD"] == "redirect"
    # The bucket serves images and videos, so the pages' CSP must allow it.
    assert s3_endpoint in made["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["media-src"]
    assert s3_endpoint in made["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    local = settings_with({"MEDIA_STORAGE": "local"})
    assert local["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_an_image_and_its_renditions_live_in_the_bucket(client, editor, bucket, on_commit):
    response = on_commit(
        client.post,
        "/admin/images/add/",
        {
            "title": "پوستر",
            "file": SimpleUploadedFile("poster.png", _png(), content_type="image/png"),
            "collection": "1",
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.latest("pk")
    rendition = image.get_rendition("fill-960x540")
    keys = bucket.object_keys()
    assert image.file.name in keys
    assert rendition.file.name in keys
    assert rendition.url.startswith(f"{bucket.endpoint}/{BUCKET}/")
    assert _answers(rendition.url).headers["Content-Type"] == "image/png"


def test_a_private_document_is_refused_without_permission_and_signed_with_it(
    client, editor, bucket, on_commit
):
    private = Collection.get_first_root_node().add_child(name="خصوصی")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    content = b"%PDF-1.4 only for signed-in staff"
    response = on_commit(
        client.post,
        "/admin/documents/add/",
        {
            "title": "صورت‌جلسه",
            "file": SimpleUploadedFile("minutes.pdf", content, content_type="application/pdf"),
            "collection": str(private.pk),
            "tags": "",
        },
    )
    assert response.status_code == 302
    document = get_document_model().objects.latest("pk")
    assert document.file.name in bucket.object_keys()
    url = document.url

    client.logout()
    refused = client.get(url)
    assert refused.status_code == 302
    assert BUCKET not in refused["Location"]  # to the login page, not the file

    client.force_login(editor)
    allowed = client.get(url)
    assert allowed.status_code == 302
    signed = allowed["Location"]
    query = parse_qs(urlparse(signed).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert _answers(signed).content == content
    # Without the signature the bucket itself refuses it.
    unsigned = signed.split("?")[0]
    assert requests.get(unsigned, timeout=10).status_code == 403
    # The storage never hands out an unsigned address for a document.
    from django.core.files.storage import default_storage

    assert "X-Amz-Signature" in default_storage.url(document.file.name)


def test_a_video_is_transcoded_into_the_bucket_and_the_page_plays_it(
    client, editor, bucket, on_commit, tmp_path
):
    path = make_video(tmp_path, size="1280x720", seconds=1)
    response = on_commit(
        client.post,
        "/admin/media/video/add/",
        {
            "title": "ویدیوی کمپین",
            "file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4"),
            "collection": "1",
            "tags": "",
        },
    )
    assert response.status_code == 302
    media = get_media_model().objects.latest("pk")
    row = VideoProcessing.objects.get(media=media)
    assert row.state == "ready", (row.reason, row.detail)
    keys = bucket.object_keys()
    assert media.file.name in keys
    assert row.poster.name in keys
    assert {r.file.name for r in row.renditions.all()} <= set(keys)
    assert len(row.renditions.all()) == 2

    campaign = on_commit(
        CampaignPageFactory,
        body=[
            {"type": "hero", "value": hero_value()},
            {
                "type": "video",
                "value": {
                    "label_text": "معرفی",
                    "video": media.pk,
                    "embed_url": "",
                    "poster": None,
                    "transcript": "متن",
                },
            },
        ],
    )
    page = client.get(campaign.url)
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'<source src="([^"]+)"', html) + re.findall(r'poster="([^"]+)"', html)
    assert len(urls) == 4  # 360p, 720p, original, poster
    for url in urls:
        assert url.startswith(f"{bucket.endpoint}/{BUCKET}/")
        _answers(url)
    csp = page["Content-Security-Policy"]
    assert bucket.endpoint in re.search(r"media-src[^;]*", csp).group(0)


def test_copy_media_to_bucket_copies_verifies_and_is_idempotent(bucket, settings, tmp_path):
    source = tmp_path / "old-media"
    (source / "original_images").mkdir(parents=True)
    (source / "documents").mkdir()
    (source / "original_images" / "a.png").write_bytes(_png())
    (source / "documents" / "b.pdf").write_bytes(b"%PDF-1.4 old document")
    (source / ".DS_Store").write_bytes(b"junk")

    out = io.StringIO()
    call_command("copy_media_to_bucket", source=str(source), stdout=out)
    assert "copied 2, already in the bucket 0, failed 0" in out.getvalue()
    assert sorted(bucket.object_keys()) == ["documents/b.pdf", "original_images/a.png"]
    client = _client(bucket.endpoint)
    stored = client.get_object(Bucket=BUCKET, Key="original_images/a.png")["Body"].read()
    assert stored == (source / "original_images" / "a.png").read_bytes()

    again = io.StringIO()
    call_command("copy_media_to_bucket", source=str(source), stdout=again)
    assert "copied 0, already in the bucket 2, failed 0" in again.getvalue()
    assert "[##############################] 2/2 files" in again.getvalue()

    (source / "documents" / "b.pdf").write_bytes(b"%PDF-1.4 a changed document")
    changed = io.StringIO()
    call_command("copy_media_to_bucket", source=str(source), stdout=changed)
    assert "copied 1, already in the bucket 1" in changed.getvalue()
    body = client.get_object(Bucket=BUCKET, Key="documents/b.pdf")["Body"].read()
    assert body == b"%PDF-1.4 a changed document"


def test_copy_media_to_bucket_refuses_without_a_bucket(settings, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="MEDIA_STORAGE=s3"):
        call_command("copy_media_to_bucket", source=str(tmp_path))


def test_production_settings_keep_the_bucket(s3_endpoint):
    """production.py replaces the static files storage only, never the bucket."""
    environment = {
        **os.environ,
        **s3_environment(s3_endpoint),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "ALLOWED_HOSTS": "example.org",
    }
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.STORAGES['default']['BACKEND'], s.STORAGES['staticfiles']['BACKEND'])",
        ],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert printed == [
        "config.storage.MediaS3Storage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
