"""Uploaded files are served in byte ranges, as Safari on iPhone asks for a video.

Where no web server sits in front (`make run`, `make serve`), Django serves `/media/`
(config/media.py); nginx does the same in production.
"""

from pathlib import Path

import pytest


# A missing file's 404 looks for a Wagtail redirect first.
pytestmark = pytest.mark.django_db

BODY = bytes(range(256)) * 40  # 10,240 bytes, every offset distinguishable


@pytest.fixture
def video(settings):
    folder = Path(settings.MEDIA_ROOT) / "media_ranges"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clip.mp4").write_bytes(BODY)
    return f"{settings.MEDIA_URL}media_ranges/clip.mp4"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_whole_file_says_it_accepts_ranges(client, video):
    response = client.get(video)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert _body(response) == BODY


def test_safaris_first_probe_gets_two_bytes(client, video):
    response = client.get(video, HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{len(BODY)}"
    assert response["Content-Length"] == "2"
    assert response["Content-Type"] == "video/mp4"
    assert _body(response) == BODY[:2]


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=1000-", 1000, 10239),  # open-ended: to the end
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=-500", 9740, 10239),  # the last 500 bytes
        ("bytes=9000-99999", 9000, 10239),  # past the end: cut at the end
        ("bytes=-99999", 0, 10239),  # a suffix longer than the file: all of it
    ],
)
def test_a_range_gets_exactly_its_bytes(client, video, header, start, end):
    response = client.get(video, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(BODY)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert _body(response) == BODY[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=20000-20010", "bytes=-0"])
def test_a_range_outside_the_file_is_refused_with_its_size(client, video, header):
    response = client.get(video, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BODY)}"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "bytes=5-1", "items=0-1", "bytes=-", "bytes=abc-def"]
)
def test_several_or_malformed_ranges_get_the_whole_file(client, video, header):
    response = client.get(video, HTTP_RANGE=header)
    assert response.status_code == 200
    assert _body(response) == BODY


def test_a_missing_file_is_still_404(client, settings):
    assert client.get(f"{settings.MEDIA_URL}nope.mp4", HTTP_RANGE="bytes=0-1").status_code == 404


def test_a_file_outside_the_media_folder_cannot_be_read(client, video, settings):
    response = client.get(f"{settings.MEDIA_URL}../settings.py", HTTP_RANGE="bytes=0-1")
    assert response.status_code in (400, 404)
