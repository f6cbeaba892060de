"""A citizen confirms a mobile by SMS code and reports a problem on the web form."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from problems.models import MobileCheck, Report, ReportPhoto
from problems.purposes import REPORT_CODE, REPORT_RECEIPT
from sms.models import SmsMessage
from tests.problems.support import (
    MOBILE,
    code_from,
    jpeg_with_gps,
    make_report,
    report_data,
    verify_browser,
)


pytestmark = pytest.mark.django_db

REPORT = "/problems/report/"


def test_the_form_asks_for_a_mobile_first_and_sends_nothing_unasked(client):
    response = client.get(REPORT, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/problems/report/mobile/"
    assert '<html lang="fa" dir="rtl">' in html
    assert 'name="mobile"' in html
    assert SmsMessage.objects.count() == 0


@pytest.mark.parametrize("mobile", ["", "12345", "02188776655", "+14155550100", "۰۹۱۲"])
def test_a_bad_mobile_is_refused_in_persian_with_no_sms(client, mobile):
    response = client.post("/problems/report/mobile/", {"mobile": mobile})
    assert response.status_code == 400
    assert "لطفاً" in response.content.decode() or "موبایل" in response.content.decode()
    assert SmsMessage.objects.count() == 0
    assert MobileCheck.objects.count() == 0


def test_code_flow_then_report_with_photo(client, django_capture_on_commit_callbacks):
    # Persian digits are accepted for the mobile.
    response = client.post("/problems/report/mobile/", {"mobile": "۰۹۱۲۱۲۳۴۵۶۷"})
    assert response.status_code == 302 and response["Location"] == "/problems/report/code/"
    sms = SmsMessage.objects.get()
    assert sms.recipient == MOBILE and sms.purpose == REPORT_CODE
    code = code_from(sms.text)

    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/problems/report/code/", {"code": wrong})
    assert response.status_code == 400
    assert "کد درست نیست" in response.content.decode()
    assert MobileCheck.objects.get().code_attempts == 1

    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.post("/problems/report/code/", {"code": persian_code})
    assert response.status_code == 302 and response["Location"] == REPORT

    html = client.get(REPORT).content.decode()
    assert 'name="title"' in html and 'enctype="multipart/form-data"' in html
    assert "اعتیاد" in html and "چهره" in html  # the faces warning

    data = report_data(photos=jpeg_with_gps())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORT, data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert str(report.reporter_mobile) == MOBILE and report.status == "new"
    assert report.search_text and report.may_contact is True
    receipt = SmsMessage.objects.filter(purpose=REPORT_RECEIPT).get()
    assert report.number in receipt.text and "/problems/follow/" in receipt.text
    sent = client.get(response["Location"]).content.decode()
    assert "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in report.number) in sent

    photo = ReportPhoto.objects.get(report=report)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif(), "EXIF survived"
        assert "comment" not in stored.info and "exif" not in stored.info
    with open(photo.image.path, "rb") as stored_file:
        raw = stored_file.read()
    assert b"SecretSoftware" not in raw and b"home address" not in raw
    assert "photo" not in photo.image.name.rsplit("/", 1)[-1] or len(photo.image.name) > 30


def test_the_follow_link_shows_the_status_to_its_holder_only(client):
    report = make_report()
    receipt = SmsMessage.objects.get(purpose=REPORT_RECEIPT)
    path = "/problems/follow/" + receipt.text.split("/problems/follow/")[1].split()[0]
    html = client.get(path).content.decode()
    assert "در انتظار بررسی" in html or report.get_status_display() in html
    assert client.get("/problems/follow/forged-token/").status_code == 404
    # Not public until verified.
    assert client.get(f"/problems/{report.number}/").status_code == 404


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"problem": "999999"}, "problem"),
        ({"province": "atlantis"}, "province"),
        ({"people_affected": "lots"}, "people_affected"),
        ({"description": "x" * 4001}, "description"),
        ({"city": "\u200c\u200c"}, "city"),
    ],
)
def test_bad_reports_are_refused_with_nothing_written(client, overrides, field):
    verify_browser(client)
    response = client.post(REPORT, report_data(**overrides))
    assert response.status_code == 400
    assert f'id="id_{field}' in response.content.decode()
    assert "لطفاً" in response.content.decode()
    assert Report.objects.count() == 0 and SmsMessage.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg"),
        SimpleUploadedFile(
            "a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"
        ),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(client, upload):
    verify_browser(client)
    response = client.post(REPORT, report_data(photos=upload))
    assert response.status_code == 400
    assert "JPEG" in response.content.decode()
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_photo_over_the_size_limit_is_refused(client, settings):
    settings.PROBLEM_PHOTO_MAX_BYTES = 1024 * 1024
    out = io.BytesIO()
    Image.effect_noise((1200, 1200), 100).convert("RGB").save(out, format="PNG")
    assert out.tell() > settings.PROBLEM_PHOTO_MAX_BYTES
    verify_browser(client)
    upload = SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png")
    response = client.post(REPORT, report_data(photos=upload))
    assert response.status_code == 400
    assert "مگابایت" in response.content.decode()
    assert Report.objects.count() == 0


def test_likely_duplicates_are_shown_before_a_copy_is_sent(client):
    existing = make_report(status="verified")
    SmsMessage.objects.all().delete()
    verify_browser(client, "+989351112233")
    data = report_data(title="اعتياد جوانان در پارك نازي‌آباد")  # Arabic letter forms
    response = client.post(REPORT, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="duplicates"' in html and f"/problems/{existing.number}/" in html
    assert Report.objects.count() == 1 and SmsMessage.objects.count() == 0

    response = client.post(REPORT, {**data, "send_anyway": "on"})
    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_a_different_city_or_problem_is_no_duplicate(client):
    make_report(status="verified")
    verify_browser(client, "+989351112233")
    response = client.post(REPORT, report_data(city="اصفهان", province="isfahan"))
    assert response.status_code == 302


def test_an_sms_link_opens_the_form_with_the_mobile_verified(client):
    from problems import services

    token = services.verified_mobile_token("+989351112233")
    response = client.get(f"{REPORT}?t={token}")
    assert response.status_code == 200 and 'name="title"' in response.content.decode()
    response = client.post(f"{REPORT}?t={token}", report_data())
    assert response.status_code == 302
    report = Report.objects.get()
    assert str(report.reporter_mobile) == "+989351112233" and report.source == "sms"


def test_a_forged_sms_link_is_refused_in_persian(client):
    response = client.get(f"{REPORT}?t=bogus")
    assert response.status_code == 400
    assert "پیوند" in response.content.decode()


def test_the_english_form_is_under_en(client):
    verify_browser(client)
    html = client.get("/en/problems/report/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Report a social problem" in html


def test_only_the_newest_open_reports_are_compared(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from problems import services

    oldest = make_report(status="verified")
    Report.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(days=30))
    newer = [make_report(status="verified", title=f"گزارش دیگر {i}") for i in range(2)]
    text = f"{oldest.title} {oldest.description}"
    assert oldest in services.likely_duplicates(problem=oldest.problem, city="تهران", text=text)
    # Past the cap, the oldest is no longer a candidate (the cost stays bounded in a big city).
    monkeypatch.setattr(services, "DUPLICATE_CANDIDATES", len(newer))
    found = services.likely_duplicates(problem=oldest.problem, city="تهران", text=text)
    assert oldest not in found
