"""Photos through the API: multipart upload with the web form's checks, metadata stripped."""

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from problems import services
from problems.models import Report, ReportPhoto
from sms.models import SmsMessage
from tests.problems.support import jpeg_with_gps, report_data


pytestmark = pytest.mark.django_db

URL = "/api/problems/reports/"
MOBILE = "+989351112233"


def multipart(client, photos, **overrides):
    data = {
        **report_data(may_contact=None),
        "token": services.verified_mobile_token(MOBILE),
        "may_contact": "true",
        "send_anyway": "false",
        **overrides,
    }
    if photos:
        data["photos"] = photos
    return client.post(URL, data)  # the test client encodes multipart/form-data


def test_a_report_with_photos_is_saved_with_no_metadata(client):
    png = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(png, format="PNG")
    photos = [jpeg_with_gps(), SimpleUploadedFile("b.png", png.getvalue(), "image/png")]
    response = multipart(client, photos)
    assert response.status_code == 201, response.json()
    report = Report.objects.get(number=response.json()["number"])
    assert report.source == "api" and report.may_contact is True
    assert str(report.reporter_mobile) == MOBILE
    stored = list(ReportPhoto.objects.filter(report=report))
    assert len(stored) == 2
    for photo in stored:
        with Image.open(photo.image.path) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and "comment" not in image.info
        raw = Path(photo.image.path).read_bytes()
        assert b"CameraMaker" not in raw and b"home address" not in raw


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg"),
        SimpleUploadedFile("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    ],
    ids=["text", "gif", "svg"],
)
def test_a_file_that_is_not_a_photo_is_refused_in_persian_and_nothing_is_written(client, upload):
    response = multipart(client, [upload])
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "photos" and "JPEG" in error["message"]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
    assert SmsMessage.objects.count() == 0


def test_too_many_or_too_big_photos_are_refused(client, settings):
    response = multipart(client, [jpeg_with_gps(f"{i}.jpg") for i in range(4)])
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "photos"
    settings.PROBLEM_PHOTO_MAX_BYTES = 1000
    response = multipart(client, [jpeg_with_gps(size=(400, 400))])
    assert response.status_code == 400 and "مگابایت" in response.json()["errors"][0]["message"]
    assert Report.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_a_body_larger_than_three_photos_is_refused_before_it_is_read(client, settings):
    settings.PROBLEM_PHOTO_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", b"\xff" * (3 * 1000 + 64 * 1024 + 1), "image/jpeg")
    response = multipart(client, [big])
    assert response.status_code == 413 and response.json()["errors"][0]["code"] == "too_large"
    assert Report.objects.count() == 0


def test_multipart_without_a_token_is_refused(client):
    response = multipart(client, [jpeg_with_gps()], token="forged")
    assert response.status_code == 403 and Report.objects.count() == 0


def test_photos_in_json_are_refused_not_dropped(client):
    response = client.post(
        URL,
        {
            **report_data(may_contact=None),
            "token": services.verified_mobile_token(MOBILE),
            "photos": ["aGVsbG8="],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "photos",
        "code": "invalid_type",
        "message": "عکس‌ها باید به‌صورت فایل و همراه گزارش در قالب multipart/form-data فرستاده شوند.",
    }
    assert Report.objects.count() == 0


def test_the_schema_documents_both_bodies(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    body = schema["paths"]["/api/problems/reports/"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    photos = schema["components"]["schemas"][ref]["properties"]["photos"]
    assert photos["type"] == "array" and photos["items"]["format"] == "binary"
    assert photos["maxItems"] == 3
