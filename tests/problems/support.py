"""Shared helpers for the problems tests: a verified browser, photos with EXIF, reports."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image

from problems import services
from problems.choices import ReportStatus
from problems.models import Problem, Report
from problems.web import session


MOBILE = "+989121234567"


def code_from(text: str) -> str:
    return re.search(r"\d{6}", text).group(0)


def verify_browser(client, mobile=MOBILE):
    client.cookies[session.MOBILE_COOKIE] = services.verified_mobile_token(mobile)
    return client


def jpeg_with_gps(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 25.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"home address")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def report_data(**overrides) -> dict:
    problem = Problem.objects.get(slug="addiction")
    data = {
        "problem": str(problem.pk),
        "title": "اعتیاد جوانان در محله نازی‌آباد",
        "description": "در پارک محله هر شب گروهی از جوانان مواد مصرف می‌کنند و خانواده‌ها نگرانند.",
        "province": "tehran",
        "city": "تهران",
        "neighbourhood": "نازی‌آباد",
        "people_affected": "11-100",
        "since": "months",
        "tried": "",
        "may_contact": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_report(status=ReportStatus.NEW, mobile=MOBILE, **fields) -> Report:
    from problems.forms import ReportForm

    form = ReportForm(report_data(**{k: v for k, v in fields.items() if k in report_data()}))
    assert form.is_valid(), form.errors
    report = services.submit(
        data=form.cleaned_data,
        mobile=mobile,
        source="web",
        language="fa",
        group=fields.get("group"),
    )
    if status != ReportStatus.NEW:
        Report.objects.filter(pk=report.pk).update(status=status)
        report.refresh_from_db()
    return report
